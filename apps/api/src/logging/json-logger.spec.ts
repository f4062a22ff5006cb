import { JsonLogger } from './json-logger';

function logged(level?: ConstructorParameters<typeof JsonLogger>[1]) {
  const lines: Record<string, unknown>[] = [];
  const logger = new JsonLogger((line) => lines.push(JSON.parse(line)), level);
  return { logger, lines };
}

describe(JsonLogger.name, () => {
  it('writes only lines at or above its level', () => {
    const { logger, lines } = logged('warn');
    logger.verbose('v');
    logger.debug('d');
    logger.log('i');
    logger.warn('w');
    logger.error('e', 'stack', 'Ctx');
    logger.fatal('f');
    expect(lines.map((line) => line.level)).toEqual(['warn', 'error', 'fatal']);
    expect(lines[1]).toMatchObject({ msg: 'e', context: 'Ctx' });
  });

  it('is at info unless told otherwise', () => {
    const { logger, lines } = logged();
    logger.debug('hidden');
    logger.log({ msg: 'shown', port: 1 }, 'main');
    expect(lines).toEqual([{ time: expect.any(String), level: 'info', context: 'main', msg: 'shown', port: 1 }]);
  });

  it.each(['RoutesResolver', 'RouterExplorer'])("writes Nest's %s route listings at debug", (context) => {
    const quiet = logged('info');
    quiet.logger.log('Mapped {/api/v4/user, GET} route', context);
    expect(quiet.lines).toEqual([]);
    const verbose = logged('debug');
    verbose.logger.log('Mapped {/api/v4/user, GET} route', context);
    expect(verbose.lines).toEqual([expect.objectContaining({ level: 'debug', context })]);
  });

  it('writes everything at verbose, and only fatal lines at fatal', () => {
    const all = logged('verbose');
    all.logger.verbose('v');
    expect(all.lines).toHaveLength(1);
    const fatal = logged('fatal');
    fatal.logger.error('e');
    fatal.logger.fatal('f');
    expect(fatal.lines.map((line) => line.msg)).toEqual(['f']);
  });
});
