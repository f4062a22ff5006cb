import { SetMetadata } from '@nestjs/common';

export const ERROR_SECTIONS = 'lanyard:error-sections';

/**
 * The error-table sections (`runners`) or single codes (`runners.RUNNER_TOKEN_REFUSED`) a controller, or one handler,
 * answers besides its own module's, because it calls another module that throws (the pickup checks the runner's token
 * through the runners module). Only the OpenAPI document reads it: it lists those codes among the route's errors.
 */
export const AlsoAnswers = (...sections: string[]) => SetMetadata(ERROR_SECTIONS, sections);
