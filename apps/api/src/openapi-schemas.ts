import type { OpenAPIObject, SchemaObject } from '@nestjs/swagger';

/**
 * Drops the component schemas nothing references: the query classes, now spelled out as parameters, and DTOs no
 * route takes. Repeats until stable, since a dropped schema may have been the only user of another.
 */
export function dropUnusedSchemas(document: OpenAPIObject): void {
  const schemas = document.components?.schemas;
  if (!schemas) return;
  const referencesIn = (value: unknown) => new Set([...JSON.stringify(value).matchAll(REFERENCE)].map(([, name]) => name));
  const outside = referencesIn({ ...document, components: { ...document.components, schemas: undefined } });
  const uses = new Map(Object.entries(schemas).map(([name, schema]) => [name, referencesIn(schema)]));
  for (;;) {
    const unused = Object.keys(schemas).filter(
      (name) => !outside.has(name) && ![...uses].some(([other, used]) => other !== name && used.has(name)),
    );
    if (unused.length === 0) return;
    for (const name of unused) {
      delete schemas[name];
      uses.delete(name);
    }
  }
}

const REFERENCE = /"#\/components\/schemas\/([^"]+)"/g;

const BUILTIN_TYPES: Readonly<Record<string, SchemaObject>> = {
  Object: {},
  Array: { type: 'array' },
  Number: { type: 'number' },
  String: { type: 'string' },
  Boolean: { type: 'boolean' },
};

/**
 * class-validator-jsonschema points a property it has no rule for at its design type (`#/components/schemas/Object`
 * for a union, as a custom `@ValidateBy` property is): no such schema exists, so it says what the type allows.
 */
export function withoutBuiltinReferences(schemas: Record<string, SchemaObject>): Record<string, SchemaObject> {
  return JSON.parse(JSON.stringify(schemas), (_key, value: unknown) => {
    const reference = (value as { $ref?: unknown } | null)?.$ref;
    if (typeof reference !== 'string') return value;
    const builtin = BUILTIN_TYPES[reference.replace('#/components/schemas/', '')];
    return builtin ? { ...builtin } : value;
  }) as Record<string, SchemaObject>;
}
