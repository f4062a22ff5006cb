import type { Type } from '@nestjs/common';
import { HEADERS_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer } from '@nestjs/core';
import { DECORATORS } from '@nestjs/swagger';
import { PUBLIC_ROUTE } from './auth/auth.decorators';
import { ERROR_SECTIONS } from './common/error-sections';

/** What the OpenAPI document needs to know of a route handler that @nestjs/swagger leaves out. */
export interface RouteFacts {
  /**
   * The error-table sections it answers from: its Nest module's (`RunnersModule` → `runners`) and those
   * `@AlsoAnswers` names on its controller or itself.
   */
  readonly sections: readonly string[];
  /** Anyone may call it: no 401, and no `auth` errors. */
  readonly isPublic: boolean;
  /** The class of its `@Query()` object, whose class-validator rules are the query parameters. */
  readonly queryClass?: Type;
  /** Its `@Header('Content-Type', …)` or `@ApiProduces(…)` media types. */
  readonly mediaTypes: readonly string[];
}

/**
 * Every handler's facts, keyed as @nestjs/swagger names its operations (`<Controller>_<method>`), read from the
 * metadata Nest's decorators leave on the controllers, so a new controller needs nothing written for the document.
 */
export function readRouteFacts(modules: ModulesContainer): Map<string, RouteFacts> {
  const facts = new Map<string, RouteFacts>();
  for (const moduleRef of modules.values()) {
    const module = sectionName(moduleRef.metatype.name);
    for (const wrapper of moduleRef.controllers.values()) {
      const controller = wrapper.metatype as Type | null;
      if (!controller) continue;
      const classPublic = Reflect.getMetadata(PUBLIC_ROUTE, controller) === true;
      for (const method of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = controller.prototype[method] as unknown;
        if (method === 'constructor' || typeof handler !== 'function') continue;
        const also = [controller, handler].flatMap((target) => (Reflect.getMetadata(ERROR_SECTIONS, target) ?? []) as string[]);
        facts.set(`${controller.name}_${method}`, {
          sections: [module, ...also],
          isPublic: classPublic || Reflect.getMetadata(PUBLIC_ROUTE, handler) === true,
          queryClass: queryClassOf(controller, method),
          mediaTypes: mediaTypesOf(handler),
        });
      }
    }
  }
  return facts;
}

/** `MergeRequestsModule` → `merge-requests`, as the modules' DomainError classes name their sections. */
function sectionName(moduleClass: string): string {
  return moduleClass
    .replace(/Module$/, '')
    .replace(/(?<=[a-z0-9])([A-Z])/g, '-$1')
    .toLowerCase();
}

function queryClassOf(controller: Type, method: string): Type | undefined {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) ?? {}) as Record<string, { index: number; data?: unknown }>;
  const parameterTypes = (Reflect.getMetadata('design:paramtypes', controller.prototype, method) ?? []) as Type[];
  const whole = Object.entries(args).find(([key, arg]) => key.split(':')[0] === String(RouteParamtypes.QUERY) && arg.data === undefined);
  const queryType = whole && parameterTypes[whole[1].index];
  return queryType && queryType !== Object ? queryType : undefined;
}

function mediaTypesOf(handler: object): string[] {
  const headers = (Reflect.getMetadata(HEADERS_METADATA, handler) ?? []) as { name: string; value: string }[];
  const contentType = headers.find(({ name }) => name.toLowerCase() === 'content-type');
  const produces = (Reflect.getMetadata(DECORATORS.API_PRODUCES, handler) ?? []) as string[];
  return contentType ? [contentType.value] : produces;
}
