import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { readHandlerResponses } from './response-types';

const CONTROLLER = `
const Controller = (): ClassDecorator => () => undefined;
const Get = (): MethodDecorator => () => undefined;
const Delete = (): MethodDecorator => () => undefined;
const Res = (_options?: object): ParameterDecorator => () => undefined;
class Page<T> { constructor(readonly items: T[], readonly total: number) {} }
interface Entity { id: number; createdAt: Date; note: string | null; hidden?: string; method(): void }
const present = (entity: Entity) => ({
  id: entity.id,
  created_at: entity.createdAt,
  note: entity.note,
  hidden: entity.hidden,
  kind: entity.id > 1 ? ('a' as const) : ('b' as const),
  labels: [],
  name: null,
  gone: undefined,
  extra: {} as Record<string, number>,
});

@Controller()
export class ThingsController {
  @Get()
  async list(): Promise<Page<ReturnType<typeof present>>> { return new Page([], 0); }
  @Get()
  one(entity: Entity) { return present(entity); }
  @Delete()
  async remove(): Promise<void> {}
  @Get()
  raw(@Res() _response: unknown) {}
  @Get()
  passthrough(@Res({ passthrough: true }) _response: unknown) { return true; }
  @Get()
  loose(): unknown { return 1; }
  notARoute() { return 1; }
}
`;

describe('readHandlerResponses', () => {
  let dir: string;
  let result: ReturnType<typeof readHandlerResponses>;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'openapi-types-'));
    const file = join(dir, 'things.controller.ts');
    writeFileSync(file, CONTROLLER);
    result = readHandlerResponses([file], { strict: true, experimentalDecorators: true, target: ts.ScriptTarget.ES2022 });
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the JSON a presenter returns: types, null, optional and absent fields, enums, dates, maps', () => {
    expect(result.responses.ThingsController_one).toEqual({
      type: 'object',
      properties: {
        id: { type: 'number' },
        created_at: { type: 'string', format: 'date-time' },
        note: { type: ['string', 'null'] },
        hidden: { type: 'string' },
        kind: { type: 'string', enum: ['a', 'b'] },
        labels: { type: 'array', items: {}, maxItems: 0 },
        name: { type: 'null' },
        extra: { type: 'object', properties: {}, additionalProperties: { type: 'number' } },
      },
      required: ['id', 'created_at', 'note', 'kind', 'labels', 'name', 'extra'],
    });
  });

  it('answers a Page with the array of its items, as the pagination interceptor does', () => {
    expect(result.responses.ThingsController_list).toEqual({ type: 'array', items: result.responses.ThingsController_one });
  });

  it('marks no body (void), a handler writing its own response, and a passthrough one by its return type', () => {
    expect(result.responses.ThingsController_remove).toBeNull();
    expect(result.responses.ThingsController_raw).toBe('manual');
    expect(result.responses.ThingsController_passthrough).toEqual({ type: 'boolean' });
  });

  it('lists route handlers only, and reports a return type that says nothing', () => {
    expect(Object.keys(result.responses).sort()).toEqual(
      ['list', 'loose', 'one', 'passthrough', 'raw', 'remove'].map((method) => `ThingsController_${method}`),
    );
    expect(result.responses.ThingsController_loose).toEqual({});
    expect(result.problems).toEqual(['ThingsController_loose: (body)']);
  });
});
