import assert from 'node:assert/strict';
import { test } from 'node:test';

import { RequestMethod } from '@nestjs/common';
import { INTERCEPTORS_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';

import { testConfig } from '@nutfleet/testing';

import { AuditInterceptor } from '../src/audit/audit.interceptor';
import { InvalidateOnWriteInterceptor } from '../src/inventory/common/invalidate-on-write.interceptor';
import { createOrchestratorApp } from '../src/orchestrator.app';

test('every route that can change something is audited and drops cached reads; reads skip both', async () => {
  const app = await createOrchestratorApp(
    testConfig({ DATABASE_URL: 'postgresql://unused@127.0.0.1:1/unused', REDIS_URL: 'redis://127.0.0.1:1' }),
  );
  try {
    const audit = app.get(AuditInterceptor);
    const invalidate = app.get(InvalidateOnWriteInterceptor);
    const scanner = new MetadataScanner();
    let writes = 0;
    let reads = 0;
    for (const module of app.get(ModulesContainer).values()) {
      for (const controller of module.controllers.values()) {
        const prototype = (controller.metatype as { prototype: Record<string, unknown> }).prototype;
        for (const name of scanner.getAllMethodNames(prototype)) {
          const handler = prototype[name] as object;
          if (Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
          const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod;
          const interceptors = (Reflect.getMetadata(INTERCEPTORS_METADATA, handler) as unknown[] | undefined) ?? [];
          const route = `${RequestMethod[method]} ${controller.name}.${name}`;
          if (method === RequestMethod.GET) {
            reads++;
            assert.ok(!interceptors.includes(audit) && !interceptors.includes(invalidate), route);
          } else {
            writes++;
            assert.deepEqual(interceptors.slice(0, 2), [audit, invalidate], route);
          }
        }
      }
    }
    assert.ok(writes > 30 && reads > 30, `${writes} mutating routes, ${reads} reads`);
  } finally {
    await app.close();
  }
});
