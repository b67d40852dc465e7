import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** One import of one file, as the TypeScript parser reads it. */
export interface ImportEdge {
  /** The importing file, relative to the project root: `server/aid/claims.ts`. */
  from: string;
  /** The imported file, relative to the project root (`server/jobs/runner.ts`), or the package name. */
  to: string;
  /** What the source says: `../jobs/runner.js`. */
  specifier: string;
  /** True when the package or a file outside the project is meant (`drizzle-orm`, `node:fs`). */
  external: boolean;
  /**
   * True when nothing of the import survives compilation: `import type`, `export type`, an
   * import whose every specifier is marked `type`, or `import('…').T` in a type position.
   * Decided by the syntax, not by what the names turn out to be: an unmarked `import { X }`
   * counts as a value import even when X is an interface, as it would under
   * `verbatimModuleSyntax`.
   */
  typeOnly: boolean;
  line: number;
}

const SOURCE = /\.(ts|tsx)$/;

/** Every .ts/.tsx file under the given folders (relative to root), as root-relative paths. */
export function sourceFiles(root: string, folders: string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(path.join(root, dir))) {
      if (name === 'node_modules' || name.startsWith('.')) continue;
      const rel = path.posix.join(dir, name);
      if (statSync(path.join(root, rel)).isDirectory()) walk(rel);
      else if (SOURCE.test(name)) out.push(rel);
    }
  };
  for (const folder of folders) walk(folder);
  return out.sort();
}

/** The imports of every file under the given folders. */
export function readImportGraph(root: string, folders: string[]): ImportEdge[] {
  return sourceFiles(root, folders).flatMap((file) => importsOf(root, file));
}

/** Static imports and re-exports, dynamic `import()`, `import x = require()`, and import types. */
export function importsOf(
  root: string,
  file: string,
  text = readFileSync(path.join(root, file), 'utf8'),
): ImportEdge[] {
  const kind = file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
  const edges: ImportEdge[] = [];
  const add = (node: ts.Node, specifier: ts.Node | undefined, typeOnly: boolean) => {
    // A computed `import(path.join(…))` names no file we could check.
    if (!specifier || !ts.isStringLiteralLike(specifier)) return;
    const target = resolve(root, file, specifier.text);
    edges.push({
      from: file,
      specifier: specifier.text,
      ...target,
      typeOnly,
      line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1,
    });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node)) {
      add(node, node.moduleSpecifier, isTypeOnlyImport(node.importClause));
    } else if (ts.isExportDeclaration(node)) {
      add(node, node.moduleSpecifier, isTypeOnlyExport(node));
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node, node.moduleReference.expression, node.isTypeOnly);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      add(node, node.arguments[0], false);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node, node.argument.literal, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges;
}

function isTypeOnlyImport(clause: ts.ImportClause | undefined): boolean {
  if (!clause) return false; // `import './x'`: run for its effects
  if (clause.isTypeOnly) return true;
  if (clause.name) return false; // a default import
  const bindings = clause.namedBindings;
  if (!bindings || !ts.isNamedImports(bindings)) return false; // `* as x`
  return bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly);
}

function isTypeOnlyExport(node: ts.ExportDeclaration): boolean {
  if (node.isTypeOnly) return true;
  const clause = node.exportClause;
  if (!clause || !ts.isNamedExports(clause)) return false; // `export * from`
  return clause.elements.length > 0 && clause.elements.every((e) => e.isTypeOnly);
}

/** Resolves a specifier the way the project's bundlers do (`.js` naming `.ts`, `~/` for app/). */
function resolve(root: string, file: string, specifier: string): { to: string; external: boolean } {
  const bare = specifier.replace(/\?.*$/, ''); // Vite's `./app.css?url`
  let base: string;
  if (bare.startsWith('.')) base = path.posix.join(path.posix.dirname(file), bare);
  else if (bare.startsWith('~/')) base = path.posix.join('app', bare.slice(2));
  else return { to: specifier, external: true };
  const stem = base.replace(/\.(js|jsx|mjs)$/, '');
  const candidates = [base, `${stem}.ts`, `${stem}.tsx`, `${stem}/index.ts`, `${stem}/index.tsx`];
  const found = candidates.find(
    (c) => existsSync(path.join(root, c)) && statSync(path.join(root, c)).isFile(),
  );
  if (!found) throw new Error(`${file}: cannot resolve '${specifier}'`);
  if (found.startsWith('../')) return { to: found, external: true };
  return { to: found, external: false };
}
