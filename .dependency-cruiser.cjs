// The module graph `npm run lint` checks (dependency-cruiser), beside ESLint's Nx boundaries, which keep the libs
// pure. Type-only imports count: a type is still a dependency.
//
// Imports in apps/api/src run downhill, through these layers (a folder may use its own layer and those below):
//   1. clock/ config/ logging/          infrastructure that knows no other folder
//   2. database/                        the DataSource, PostgreSQL errors, prepared statements, shared SQL fragments
//   3. common/                          HTTP plumbing: API errors, DomainError, pagination, DTO transforms, pipes
//   4. entities/ queue/                 tables every module reads or writes: users, namespaces, projects,
//                                       members; the pending-builds queue
//   5. routes/                          full paths, lookup by id or full path, burned routes (GitLab's Routable)
//   6. auth/                            who calls, access levels, the guards that load the resource a route names
//   7. the feature modules              users/ namespaces/ projects/ members/ repository/ pipelines/ builds/ …
//                                       pickup/ id-tokens/ oidc/: they use each other, one way (no cycles)
//   8. http-errors/                     the table at the edge, which answers every module's errors
//   9. the files at the root            the app's wiring (app.module, create-app, main, migrate, all-entities)
// Inside one layer, and among the feature modules above all, the folder graph has no cycle: no two folders import
// each other, directly or through others.

const SRC = '^apps/api/src/';

/** The layers below the feature modules, lowest first; every folder not named here is a feature module. */
const LOWER_LAYERS = [['clock', 'config', 'logging'], ['database'], ['common'], ['entities', 'queue'], ['routes'], ['auth']];
const EDGE = ['http-errors'];

const anyOf = (folders) => `${SRC}(${folders.join('|')})/`;

/** The folders of the lower layers up to and including the one at `index`. */
const upTo = (index) => LOWER_LAYERS.slice(0, index + 1).flat();

/** Each lower layer imports only its own and lower layers' folders: no feature module, and no root file. */
const lowerLayerRules = LOWER_LAYERS.map((layer, index) => ({
  name: `layer-${layer.join('-')}`,
  comment: `${layer.join(', ')} may use ${upTo(index).join(', ')} only: higher folders use it, never the reverse.`,
  severity: 'error',
  from: { path: anyOf(layer) },
  to: { path: SRC, pathNot: anyOf(upTo(index)) },
}));

module.exports = {
  forbidden: [
    {
      // dependency-cruiser gives a folder the imports of every file below it, each naming the folder its target sits
      // in. With the next two rules, every import between folders of apps/api/src names the folder itself, so this
      // finds exactly the cycles between those folders, type-only imports included.
      name: 'no-folder-cycle',
      comment:
        'A folder of apps/api/src imports another that imports it back, directly or through others: one of them ' +
        'depends on the other. Move what both need to a lower layer, or invert the dependency (an interface the ' +
        'wiring provides).',
      severity: 'error',
      scope: 'folder',
      from: { path: `${SRC}[^/]+` },
      to: { path: `${SRC}[^/]+`, circular: true },
    },
    {
      // An import of another folder's dto/ would name that subfolder, not the folder, and could hide a cycle through it.
      name: 'no-import-of-another-folders-subfolder',
      comment: "Import another folder's top-level files only; its subfolders (dto/) are its own.",
      severity: 'error',
      from: { path: `${SRC}([^/]+)/` },
      to: { path: `${SRC}[^/]+/[^/]+/`, pathNot: `${SRC}$1/` },
    },
    {
      // Also for the cycle rule: the root folder's own imports all point inside it, so a cycle through it stays unseen.
      name: 'no-import-of-the-wiring',
      comment: 'The root files wire the app (layer 9): no folder imports them.',
      severity: 'error',
      from: { path: `${SRC}[^/]+/` },
      to: { path: `${SRC}[^/]+$` },
    },
    ...lowerLayerRules,
    {
      name: 'layer-features',
      comment: 'A feature module uses lower layers and other feature modules; the error table and the wiring use it.',
      severity: 'error',
      from: { path: `${SRC}[^/]+/`, pathNot: anyOf([...LOWER_LAYERS.flat(), ...EDGE]) },
      to: { path: anyOf(EDGE) },
    },
    {
      name: 'libs-import-no-app-code',
      comment: 'libs/ are pure TypeScript that the app uses, never the other way round.',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    // Type-only imports are dependencies too.
    tsPreCompilationDeps: true,
  },
};
