export interface GracefulShutdownOptions {
  /** Closes the application: stops taking work, waits for what runs, releases connections. */
  close: (signal: NodeJS.Signals) => Promise<void>;
  deadlineMs: number;
  log?: (line: string) => void;
}

/**
 * On SIGTERM or SIGINT, closes the application and exits 0; if closing outlasts the deadline
 * (a hook stuck on a dead connection, a job that will not finish) it exits 1 anyway, so an
 * orchestrator (systemd, Docker) is never left waiting. A second signal exits at once.
 */
export function shutDownGracefullyOnSignal(options: GracefulShutdownOptions): void {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  let closing = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (closing) {
      log(`${signal} received again: exiting without waiting`);
      process.exit(130);
    }
    closing = true;
    log(`${signal} received: shutting down (at most ${Math.round(options.deadlineMs / 1000)} s)`);
    const deadline = setTimeout(() => {
      log(`shutdown did not finish within ${Math.round(options.deadlineMs / 1000)} s: exiting`);
      process.exit(1);
    }, options.deadlineMs);
    deadline.unref();
    options.close(signal).then(
      () => process.exit(0),
      (error: unknown) => {
        log(`shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
