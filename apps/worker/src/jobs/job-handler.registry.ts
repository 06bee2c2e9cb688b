import { Injectable } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';

import { ALL_JOBS, JobName } from '@nutfleet/queue';

import { JOB_HANDLER_METADATA, type JobHandler } from './job-handler';

export class JobHandlerRegistrationError extends Error {
  public constructor(problems: readonly string[]) {
    super(`the worker cannot serve every job: ${problems.join('; ')}`);
    this.name = 'JobHandlerRegistrationError';
  }
}

/** Finds the @HandlesJob providers and proves every job name has exactly one. */
export function resolveJobHandlers(
  found: readonly { name: JobName; handler: JobHandler; provider: string }[],
  expected: readonly JobName[] = ALL_JOBS,
): ReadonlyMap<JobName, JobHandler> {
  const handlers = new Map<JobName, JobHandler>();
  const problems: string[] = [];
  for (const { name, handler, provider } of found) {
    if (!expected.includes(name)) problems.push(`${provider} handles unknown job "${name}"`);
    else if (handlers.has(name)) problems.push(`job "${name}" has two handlers (${provider} and another)`);
    else handlers.set(name, handler);
  }
  const missing = expected.filter((name) => !handlers.has(name));
  if (missing.length > 0) {
    problems.push(
      `no handler for ${missing.map((n) => `"${n}"`).join(', ')} (add a provider marked @HandlesJob(JobName...) to WorkerModule)`,
    );
  }
  if (problems.length > 0) throw new JobHandlerRegistrationError(problems);
  return handlers;
}

@Injectable()
export class JobHandlerRegistry {
  public constructor(
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
  ) {}

  public collect(): ReadonlyMap<JobName, JobHandler> {
    const found = this.discovery
      .getProviders()
      .filter((wrapper) => wrapper.metatype && wrapper.instance)
      .flatMap((wrapper) => {
        const name = this.reflector.get<JobName | undefined>(
          JOB_HANDLER_METADATA,
          wrapper.metatype as object as new () => unknown,
        );
        return name ? [{ name, handler: wrapper.instance as JobHandler, provider: wrapper.name }] : [];
      });
    return resolveJobHandlers(found);
  }
}
