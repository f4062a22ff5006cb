declare module 'express-serve-static-core' {
  interface Request {
    /** The correlation id `logRequests` (logging/) gives every request; the exception filter names it in a 500. */
    requestId: string;
  }
}

export {};
