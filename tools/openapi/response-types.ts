import ts from 'typescript';

/** A JSON Schema (OpenAPI 3.1's dialect, JSON Schema 2020-12) as written into the generated file. */
export type Schema = { [keyword: string]: unknown };

/** One route handler's answer: the schema of its JSON body, `null` when it sends none, or `'manual'` (it writes the response itself). */
export type HandlerResponse = Schema | null | 'manual';

const ROUTE_DECORATORS = new Set(['Get', 'Post', 'Put', 'Patch', 'Delete', 'Head', 'Options', 'All']);

/**
 * Every route handler's response body, read from its TypeScript return type: the presenters return plain object
 * literals, so the checker knows each field a client receives. Keyed as @nestjs/swagger names operations
 * (`<Controller>_<method>`). `problems` lists the fields whose type says nothing (`any`, `unknown`).
 */
export function readHandlerResponses(controllerFiles: readonly string[], options: ts.CompilerOptions) {
  const program = ts.createProgram({ rootNames: controllerFiles, options });
  const checker = program.getTypeChecker();
  const responses: Record<string, HandlerResponse> = {};
  const problems: string[] = [];
  for (const file of controllerFiles) {
    const source = program.getSourceFile(file);
    if (!source) throw new Error(`${file} is not part of the program`);
    ts.forEachChild(source, (node) => {
      if (!ts.isClassDeclaration(node) || !node.name || !decoratorNames(node).includes('Controller')) return;
      for (const member of node.members) {
        if (!ts.isMethodDeclaration(member) || !decoratorNames(member).some((name) => ROUTE_DECORATORS.has(name))) continue;
        const key = `${node.name.text}_${member.name.getText(source)}`;
        responses[key] = writesItsOwnResponse(member)
          ? 'manual'
          : new SchemaWriter(checker, (path) => problems.push(`${key}: ${path}`)).handlerBody(member);
      }
    });
  }
  return { responses, problems };
}

function decoratorNames(node: ts.HasDecorators): string[] {
  return (ts.getDecorators(node) ?? []).map((decorator) => {
    const call = decorator.expression;
    return ts.isCallExpression(call) ? call.expression.getText() : call.getText();
  });
}

/** `@Res()` without `passthrough`: Nest leaves the response to the handler, so its return type says nothing. */
function writesItsOwnResponse(method: ts.MethodDeclaration): boolean {
  return method.parameters.some((parameter) =>
    (ts.getDecorators(parameter) ?? []).some((decorator) => {
      const call = decorator.expression;
      return (
        ts.isCallExpression(call) && call.expression.getText() === 'Res' && !call.arguments.some((a) => /passthrough/.test(a.getText()))
      );
    }),
  );
}

class SchemaWriter {
  private readonly inProgress = new Set<ts.Type>();

  constructor(
    private readonly checker: ts.TypeChecker,
    private readonly report: (path: string) => void,
  ) {}

  handlerBody(method: ts.MethodDeclaration): Schema | null {
    const signature = this.checker.getSignatureFromDeclaration(method);
    if (!signature) throw new Error(`no signature for ${method.name.getText()}`);
    const returned = this.checker.getAwaitedType(this.checker.getReturnTypeOfSignature(signature));
    if (!returned || returned.flags & (ts.TypeFlags.Void | ts.TypeFlags.Undefined)) return null;
    return this.schemaOf(returned, '(body)');
  }

  private schemaOf(type: ts.Type, path: string): Schema {
    if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) {
      this.report(path);
      return {};
    }
    // A field Lanyard always sends as null (an attribute GitLab has and Lanyard does not keep).
    if (type.flags & ts.TypeFlags.Null) return { type: 'null' };
    if (type.flags & ts.TypeFlags.NonPrimitive) return { type: 'object' };
    if (type.flags & ts.TypeFlags.StringLiteral) return { type: 'string', enum: [(type as ts.StringLiteralType).value] };
    if (type.flags & ts.TypeFlags.NumberLiteral) return { type: 'number', enum: [(type as ts.NumberLiteralType).value] };
    if (type.flags & ts.TypeFlags.BooleanLiteral) return { type: 'boolean', enum: [type === this.checker.getTrueType()] };
    if (type.flags & (ts.TypeFlags.String | ts.TypeFlags.TemplateLiteral)) return { type: 'string' };
    if (type.flags & ts.TypeFlags.Number) return { type: 'number' };
    if (type.flags & ts.TypeFlags.Boolean) return { type: 'boolean' };
    if (type.flags & ts.TypeFlags.BigInt) return { type: 'string' };
    if (type.isUnion()) return this.unionOf(type.types, path);
    if (type.flags & ts.TypeFlags.Object || type.isIntersection()) return this.objectOf(type, path);
    this.report(`${path} (${this.checker.typeToString(type)})`);
    return {};
  }

  private unionOf(members: readonly ts.Type[], path: string): Schema {
    const present = members.filter((member) => !(member.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined | ts.TypeFlags.Void)));
    const schema = this.presentUnionOf(present, path);
    // `undefined` is no value in JSON (the field is left out, so it is not required); `null` is one.
    return members.some((member) => member.flags & ts.TypeFlags.Null) ? orNull(schema) : schema;
  }

  private presentUnionOf(present: readonly ts.Type[], path: string): Schema {
    if (present.length > 0 && present.every((member) => member.flags & ts.TypeFlags.BooleanLiteral)) {
      return present.length === 2 ? { type: 'boolean' } : this.schemaOf(present[0], path);
    }
    if (present.length > 0 && present.every((member) => member.flags & ts.TypeFlags.StringLiteral)) {
      return { type: 'string', enum: present.map((member) => (member as ts.StringLiteralType).value) };
    }
    const schemas = unique(present.map((member) => this.schemaOf(member, path)));
    return schemas.length === 1 ? schemas[0] : { anyOf: schemas };
  }

  private objectOf(type: ts.Type, path: string): Schema {
    const name = type.getSymbol()?.getName();
    if (name === 'Date') return { type: 'string', format: 'date-time' };
    // Nest sends a StreamableFile's bytes as they are; the route's content type says what they are.
    if (name === 'StreamableFile') return { type: 'string', format: 'binary' };
    if (this.checker.isArrayType(type) || this.checker.isTupleType(type)) {
      const elements = this.checker.getTypeArguments(type as ts.TypeReference);
      // `never[]`: a list Lanyard always sends empty (GitLab's labels, reviewers, …).
      if (elements.length === 0 || elements.every((element) => element.flags & ts.TypeFlags.Never))
        return { type: 'array', items: {}, maxItems: 0 };
      const items = this.checker.isTupleType(type) ? this.unionOf(elements, `${path}[]`) : this.schemaOf(elements[0], `${path}[]`);
      return { type: 'array', items };
    }
    // The pagination interceptor answers a Page with its items (the counts go into X-* headers).
    if (name === 'Page') return this.schemaOf(this.checker.getTypeOfSymbol(this.checker.getPropertyOfType(type, 'items')!), path);
    if (this.inProgress.has(type)) {
      this.report(`${path} (recursive ${this.checker.typeToString(type)})`);
      return {};
    }
    this.inProgress.add(type);
    try {
      return this.propertiesOf(type, path);
    } finally {
      this.inProgress.delete(type);
    }
  }

  private propertiesOf(type: ts.Type, path: string): Schema {
    const properties: Record<string, Schema> = {};
    const required: string[] = [];
    for (const property of this.checker.getPropertiesOfType(type)) {
      // JSON.stringify writes own data properties only: no methods, no prototype getters.
      if (property.flags & (ts.SymbolFlags.Method | ts.SymbolFlags.GetAccessor)) continue;
      const propertyType = this.checker.getTypeOfSymbol(property);
      // JSON.stringify leaves out functions and fields that are always undefined.
      if (propertyType.getCallSignatures().length > 0 || isUndefined(propertyType)) continue;
      const name = property.getName();
      properties[name] = this.schemaOf(propertyType, `${path}.${name}`);
      const mayBeAbsent = property.flags & ts.SymbolFlags.Optional || (propertyType.isUnion() && propertyType.types.some(isUndefined));
      if (!mayBeAbsent) required.push(name);
    }
    const schema: Schema = { type: 'object', properties };
    if (required.length > 0) schema.required = required;
    const index = this.checker.getIndexInfosOfType(type).find((info) => info.keyType.flags & ts.TypeFlags.String);
    if (index) schema.additionalProperties = this.schemaOf(index.type, `${path}[*]`);
    return schema;
  }
}

/** `T | null`: a plain type gains `null` among its types (and its enum); anything else becomes one of two. */
function orNull(schema: Schema): Schema {
  if (typeof schema.type === 'string' && !schema.properties && !schema.items) {
    return { ...schema, type: [schema.type, 'null'], ...(Array.isArray(schema.enum) ? { enum: [...schema.enum, null] } : {}) };
  }
  return { anyOf: [...((schema.anyOf as Schema[] | undefined) ?? [schema]), { type: 'null' }] };
}

function isUndefined(type: ts.Type): boolean {
  return (type.flags & ts.TypeFlags.Undefined) !== 0;
}

function unique(schemas: Schema[]): Schema[] {
  const seen = new Map(schemas.map((schema) => [JSON.stringify(schema), schema]));
  return [...seen.values()];
}
