/**
 * The job log's SQL, in one place. A runner's append holds its job row shared (the final `PUT /jobs/:id` holds it
 * for update, so an append never interleaves with the job finishing) and its log row for update (appends queue).
 */
export const LOCK_JOB = `SELECT id, project_id, status, token_digest FROM ci_builds WHERE id = $1 FOR SHARE`;

export const ENSURE_LOG = `INSERT INTO ci_job_traces (build_id, updated_at) VALUES ($1, $2) ON CONFLICT (build_id) DO NOTHING`;

export const LOCK_LOG = `SELECT size, stored_size, chunks, truncated, held_sealed FROM ci_job_traces WHERE build_id = $1 FOR UPDATE`;

export const ADD_CHUNK = `INSERT INTO ci_job_trace_chunks (build_id, chunk_index, data) VALUES ($1, $2, $3)`;

export const UPDATE_LOG = `
  UPDATE ci_job_traces
     SET size = size + $2, stored_size = stored_size + $3, chunks = chunks + $4, truncated = $5, held_sealed = $6,
         updated_at = $7
   WHERE build_id = $1`;

/** Every masked value the job could have been given: its project's and its groups' (any scope: masking more is safe). */
export const MASKED_VALUES = `
  SELECT v.value
    FROM projects p
    JOIN namespaces n ON n.id = p.namespace_id
    JOIN ci_variables v ON v.project_id = p.id OR v.namespace_id = ANY (n.traversal_ids)
   WHERE p.id = $1 AND v.masked`;

/** The ID tokens minted for the job, by `jti`: the audit keeps no token, and the `jti` is enough to know one. */
export const ID_TOKEN_JTIS = `SELECT jti::text AS jti FROM ci_id_token_issuances WHERE build_id = $1`;

export const JOB_IN_PROJECT = `SELECT 1 FROM ci_builds WHERE id = $1 AND project_id = $2`;

export const READ_LOG = `SELECT data FROM ci_job_trace_chunks WHERE build_id = $1 ORDER BY chunk_index`;
