-- Host.facts schema 2: each fact records how its last read went (`reads`), so a read that fails
-- no longer throws the others away. Documents written by schema 1 were read whole and at once:
-- every read is recorded as successful at their discovery time.
UPDATE "Host"
SET "facts" = jsonb_set("facts", '{schemaVersion}', '2'::jsonb) || jsonb_build_object(
  'reads',
  (SELECT jsonb_object_agg(r.name, jsonb_build_object('state', 'ok', 'at', "facts" -> 'discoveredAt', 'by', 'discovery'))
     FROM unnest(ARRAY['esxi', 'nics', 'vms', 'autostartDefaults', 'autostartSequence', 'nutClient', 'nutUserVars',
                       'acceptanceLevel', 'maintenanceMode']) AS r(name))
)
WHERE jsonb_typeof("facts") = 'object' AND "facts" ->> 'schemaVersion' = '1';
