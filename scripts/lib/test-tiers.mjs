// Test tiers, told by the spec file's name:
//   *.e2e.spec.ts          end to end: the apps as a user runs them (processes, HTTP, a browser)
//   *.integration.spec.ts  against real parts: PostgreSQL, Redis, upsd, OpenSSH's sshd, the ESXi
//                          simulator, child processes
//   *.spec.ts              unit: needs nothing but this Node process, so it runs anywhere, without
//                          root, in seconds (`npm test -- --unit`)
// unitSpecViolations() keeps the unit tier honest: it reads a unit spec's imports (and those of the
// test helpers it imports) and names each one that would reach outside the process.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';

export const TIERS = ['unit', 'integration', 'e2e'];

/** The tier of a spec file (source .ts or compiled .js), by its name. */
export function testTierOf(file) {
  if (/\.e2e\.spec\.[cm]?[jt]s$/.test(file)) return 'e2e';
  if (/\.integration\.spec\.[cm]?[jt]s$/.test(file)) return 'integration';
  return 'unit';
}

/** Modules a unit spec may not load at all, with what they would reach. */
const OUTSIDE_MODULES = new Map([
  ['child_process', 'starts processes'],
  ['cluster', 'starts processes'],
  ['pg', 'connects to PostgreSQL'],
  ['@prisma/client', 'connects to PostgreSQL'],
  ['@prisma/adapter-pg', 'connects to PostgreSQL'],
  ['ioredis', 'connects to Redis'],
  ['bullmq', 'connects to Redis'],
  ['playwright-core', 'drives a browser'],
]);

/** What @nutfleet/db exports that opens a database connection. */
const DATABASE_CONNECTIONS = new Set(['PrismaClient', 'PrismaService', 'PrismaModule', 'createPrismaClient']);

/**
 * What a unit spec may take from the test harness (@nutfleet/testing): the pieces that start
 * nothing. Everything else there starts processes or servers, or creates databases and Redis
 * prefixes. An allowlist, so that a new starter is kept out of the unit tier without anyone
 * having to remember this file; add a new pure helper here when a unit spec needs it.
 */
export const PURE_HARNESS_EXPORTS = new Set([
  'REPO_ROOT',
  'testConfig',
  'simulatedHostFacts',
  'parseShellLine',
  'HostState',
  'HostFilesystem',
  'planVibTransaction',
  'buildVibFixture',
  'buildOfflineBundleFixture',
  'readArArchive',
  'readZipArchive',
  'readVibFile',
  'readOfflineBundle',
  'parseVibDescriptor',
  'vibId',
  'macsInMagicPacket',
  'DEFAULT_UPS_VARIABLES',
  'renderDevFile',
  'renderUpsConf',
  'renderUpsdConf',
  'renderUpsdUsers',
]);

const withoutNodePrefix = (specifier) => specifier.replace(/^node:/, '');

/**
 * The value imports of one TypeScript source: `{ specifier, names, whole, line }`, where `names`
 * are the named imports and `whole` says the module is taken as a whole (default, namespace,
 * side-effect import, require(), import()). Type-only imports are left out: they vanish at compile
 * time.
 */
export function valueImports(ts, fileName, text) {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found = [];
  const lineOf = (node) => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
  const visit = (node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      if (!clause?.isTypeOnly) {
        const bindings = clause?.namedBindings;
        const names =
          bindings && ts.isNamedImports(bindings)
            ? bindings.elements.filter((e) => !e.isTypeOnly).map((e) => (e.propertyName ?? e.name).text)
            : [];
        const whole = !clause || clause.name !== undefined || (bindings !== undefined && !ts.isNamedImports(bindings));
        if (whole || names.length > 0)
          found.push({ specifier: node.moduleSpecifier.text, names, whole, line: lineOf(node) });
      }
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      if (!node.isTypeOnly) {
        const clause = node.exportClause;
        const names =
          clause && ts.isNamedExports(clause)
            ? clause.elements.filter((e) => !e.isTypeOnly).map((e) => (e.propertyName ?? e.name).text)
            : [];
        const whole = !clause || !ts.isNamedExports(clause);
        if (whole || names.length > 0)
          found.push({ specifier: node.moduleSpecifier.text, names, whole, line: lineOf(node) });
      }
    } else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(node.expression) && node.expression.text === 'require')) &&
      node.arguments[0] &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      found.push({ specifier: node.arguments[0].text, names: [], whole: true, line: lineOf(node) });
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      !node.isTypeOnly &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression)
    ) {
      found.push({ specifier: node.moduleReference.expression.text, names: [], whole: true, line: lineOf(node) });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The .ts file a relative import names, if there is one. */
function resolveRelative(fromFile, specifier) {
  const base = join(dirname(fromFile), specifier);
  return [`${base}.ts`, join(base, 'index.ts'), base].find(
    (candidate) => existsSync(candidate) && candidate.endsWith('.ts'),
  );
}

/** Which part of the repository a resolved import lands in: a lib's sources, a test helper, or other code. */
function placeOf(root, file) {
  const path = relative(root, file).split(sep).join('/');
  const lib = /^libs\/([^/]+)\/src\//.exec(path)?.[1];
  if (lib) return { lib, testHelper: false };
  return { lib: undefined, testHelper: /(^|\/)test\//.test(path) };
}

function problemsWith(imported, lib) {
  const specifier = withoutNodePrefix(imported.specifier);
  const outside = OUTSIDE_MODULES.get(specifier) ?? OUTSIDE_MODULES.get(specifier.split('/')[0]);
  if (outside) return [`imports ${imported.specifier} (${outside})`];
  if (lib === 'testing') {
    if (imported.whole)
      return [`imports the test harness as a whole (${imported.specifier}); name the pure helpers it needs`];
    return imported.names
      .filter((name) => !PURE_HARNESS_EXPORTS.has(name))
      .map(
        (name) =>
          `imports ${name} from the test harness (${imported.specifier}), which starts processes or servers or creates databases (a pure helper belongs in PURE_HARNESS_EXPORTS, scripts/lib/test-tiers.mjs)`,
      );
  }
  if (lib === 'db') {
    if (imported.whole) return [`imports ${imported.specifier} as a whole (its Prisma client connects to PostgreSQL)`];
    return imported.names
      .filter((name) => DATABASE_CONNECTIONS.has(name))
      .map((name) => `imports ${name} from ${imported.specifier} (connects to PostgreSQL; a type-only import is fine)`);
  }
  return [];
}

/**
 * For each unit spec (absolute .ts paths), what it imports that reaches outside the process:
 * `[{ spec, at, line, problem }]`, paths relative to `root`; `at` is the file holding the import,
 * the spec itself or a test helper it imports (files under a test/ folder are followed; the code
 * under test is not: it may well do I/O, which the spec replaces with fakes).
 */
export function unitSpecViolations(root, specFiles) {
  const ts = createRequire(import.meta.url)('typescript');
  const ownProblems = new Map();
  /** The file's own problems and the test helpers it imports. */
  const read = (file) => {
    let known = ownProblems.get(file);
    if (known) return known;
    known = { problems: [], helpers: [] };
    ownProblems.set(file, known);
    for (const imported of valueImports(ts, file, readFileSync(file, 'utf8'))) {
      let lib;
      if (imported.specifier.startsWith('.')) {
        const target = resolveRelative(file, imported.specifier);
        if (target) {
          const place = placeOf(root, target);
          lib = place.lib;
          if (place.testHelper) known.helpers.push(target);
        }
      } else {
        lib = /^@nutfleet\/([^/]+)/.exec(imported.specifier)?.[1];
      }
      for (const problem of problemsWith(imported, lib))
        known.problems.push({ at: relative(root, file), line: imported.line, problem });
    }
    return known;
  };
  const violations = [];
  for (const spec of specFiles) {
    const visited = new Set();
    const walk = (file) => {
      if (visited.has(file)) return;
      visited.add(file);
      const { problems, helpers } = read(file);
      for (const problem of problems) violations.push({ spec: relative(root, spec), ...problem });
      helpers.forEach(walk);
    };
    walk(spec);
  }
  return violations;
}
