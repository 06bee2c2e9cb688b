#!/bin/sh
# orchestrator: apply migrations and the seed, then serve HTTP (only this service migrates).
# worker: consume jobs (started after the orchestrator is healthy, so the schema is current).
set -e
case "${1:-orchestrator}" in
  orchestrator)
    node node_modules/prisma/build/index.js migrate deploy
    node dist/prisma/seed.js
    exec node --enable-source-maps dist/apps/orchestrator/src/main.js
    ;;
  worker)
    exec node --enable-source-maps dist/apps/worker/src/main.js
    ;;
  *)
    exec "$@"
    ;;
esac
