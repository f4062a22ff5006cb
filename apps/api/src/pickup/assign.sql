/* prepared */ WITH build AS (
  UPDATE ci_builds SET status = 'running', runner_id = $3, token_digest = $4, started_at = $5, timeout = $6
   WHERE id = $1 RETURNING pipeline_id
), issuances AS (
  INSERT INTO ci_id_token_issuances (jti, build_id, project_id, variable, aud, sub, kid, iat, exp)
  SELECT jti, $1, $2, variable, aud::jsonb, sub, $7, iat, exp
    FROM unnest($8::uuid[], $9::text[], $10::text[], $11::text[], $12::bigint[], $13::bigint[]) AS t (jti, variable, aud, sub, iat, exp)
)
UPDATE ci_pipelines SET status = 'running', started_at = coalesce(started_at, $5)
 WHERE id = (SELECT pipeline_id FROM build) AND status IN ('created', 'pending')
