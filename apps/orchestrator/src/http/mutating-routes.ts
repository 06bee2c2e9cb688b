import { type INestApplication, type NestInterceptor, RequestMethod } from '@nestjs/common';
import { INTERCEPTORS_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';

const READ_ONLY = new Set([RequestMethod.GET, RequestMethod.HEAD, RequestMethod.OPTIONS]);

/**
 * Puts `interceptors` (in this order, before the route's own) on every route that can change
 * something: every controller route whose method is not GET, HEAD or OPTIONS — read from the
 * routes themselves, so a new route cannot be missed.
 *
 * Why not APP_INTERCEPTOR: a global interceptor puts every request through Nest's interceptor
 * chain (rxjs observables, async resources), even when it has nothing to do on reads; on a cached
 * GET that was about a tenth of its CPU. Must be called before the application is initialised
 * (its routes are built from this metadata then). Returns the routes it equipped.
 */
export function interceptMutatingRoutes(app: INestApplication, interceptors: readonly NestInterceptor[]): string[] {
  const scanner = new MetadataScanner();
  const equipped: string[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const controller of module.controllers.values()) {
      const prototype = (controller.metatype as { prototype?: object } | null)?.prototype;
      if (!prototype) continue;
      for (const name of scanner.getAllMethodNames(prototype)) {
        const handler = (prototype as Record<string, unknown>)[name];
        if (typeof handler !== 'function' || Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
        const method =
          (Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined) ?? RequestMethod.GET;
        if (READ_ONLY.has(method)) continue;
        const declared = (Reflect.getMetadata(INTERCEPTORS_METADATA, handler) as unknown[] | undefined) ?? [];
        if (interceptors.every((i) => declared.includes(i))) continue;
        // The metadata lives on the class, shared by every application built in this process (tests
        // build several): an earlier application's instances are replaced, not stacked — they would
        // write through that application's (closed) database pool.
        const own = declared.filter(
          (i) =>
            !interceptors.some((mine) => typeof i === 'object' && i !== null && i.constructor === mine.constructor),
        );
        Reflect.defineMetadata(INTERCEPTORS_METADATA, [...interceptors, ...own], handler);
        equipped.push(`${RequestMethod[method]} ${controller.name}.${name}`);
      }
    }
  }
  return equipped;
}
