// Fails when a public symbol has no doc comment: every export of src/index.ts and every member of the
// namespaces it exports (`ops`, `layers` …), or when an exported function or class has no `@example`.
// Public members of exported classes and interfaces without a comment are listed as a warning
// (`--strict-members` makes them fail too).
// Usage: node scripts/check-docs.mjs [--strict-members] [entry.ts]   (npm run check-docs)
import ts from 'typescript';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A symbol's own doc comment text (JSDoc), or '' when it has none. */
function docOf(symbol, checker) {
  return ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim();
}

/** The symbol an export alias points to. */
function target(symbol, checker) {
  return symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
}

/** Whether a class member is part of the public surface (not private / protected / #private / internal). */
function isPublicMember(decl) {
  const flags = ts.getCombinedModifierFlags(decl);
  if (flags & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) return false;
  if (decl.name && ts.isPrivateIdentifier(decl.name)) return false;
  return !ts.getJSDocTags(decl).some((t) => t.tagName.text === 'internal');
}

/** `name (file:line)` for messages. */
function where(name, decl, root) {
  const sf = decl.getSourceFile();
  const line = sf.getLineAndCharacterOfPosition(decl.getStart()).line + 1;
  return `${name} (${relative(root, sf.fileName)}:${line})`;
}

/**
 * The public names without a doc comment, reachable from `entry`'s exports: top-level exports, namespace
 * members, and public members declared by exported classes and interfaces (inherited ones are checked where declared).
 */
export function undocumentedExports(entry, root = process.cwd()) {
  const { exports, members } = undocumented(entry, root);
  return exports.concat(members).sort();
}

/** Whether a symbol's doc comment has an `@example` tag. */
function hasExample(symbol, checker) {
  return symbol.getJsDocTags(checker).some((t) => t.name === 'example');
}

/**
 * The undocumented top-level exports (and namespace members), apart the undocumented class / interface
 * members, and the exported functions and classes without an `@example`.
 */
export function undocumented(entry, root = process.cwd()) {
  const program = ts.createProgram([entry], { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, noEmit: true, skipLibCheck: true, noLib: true, types: [] });
  const checker = program.getTypeChecker();
  const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(entry));
  const missing = new Set();
  const missingMembers = new Set();
  const missingExamples = new Set();
  const seen = new Set();
  const visit = (name, symbol) => {
    const real = target(symbol, checker);
    const decl = real.declarations?.[0];
    if (!decl || seen.has(real)) return;
    seen.add(real);
    if (decl.getSourceFile().fileName.includes('node_modules')) return;
    if (real.flags & ts.SymbolFlags.ValueModule) {
      // `export * as ops from …`: check each member, not the module.
      for (const member of checker.getExportsOfModule(real)) visit(`${name}.${member.name}`, member);
      return;
    }
    if (docOf(real, checker) === '') missing.add(where(name, decl, root));
    if (real.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Class) && !hasExample(real, checker)) missingExamples.add(where(name, decl, root));
    if (real.flags & (ts.SymbolFlags.Class | ts.SymbolFlags.Interface)) {
      for (const [memberName, member] of real.members ?? []) {
        const md = member.declarations?.[0];
        if (!md || memberName === '__constructor' || memberName.startsWith('__')) continue;
        if (member.flags & ts.SymbolFlags.TypeParameter) continue;
        if (!isPublicMember(md)) continue;
        if (ts.isIndexSignatureDeclaration(md)) continue;
        // Implementations of a documented interface member inherit its docs (Callback hooks, Metric methods).
        if (docOf(member, checker) === '' && !inheritedDoc(real, memberName, checker)) missingMembers.add(where(`${name}.${memberName}`, md, root));
      }
    }
  };
  for (const symbol of checker.getExportsOfModule(moduleSymbol)) visit(symbol.name, symbol);
  return { exports: [...missing].sort(), members: [...missingMembers].sort(), examples: [...missingExamples].sort() };
}

/**
 * Every `@example` of the public API, as `{ name, where, code, namespace }`: top-level exports, namespace
 * members (`namespace` is theirs, e.g. 'losses'), and the members of exported classes and interfaces.
 */
export function publicExamples(entry, root = process.cwd()) {
  const program = ts.createProgram([entry], { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, noEmit: true, skipLibCheck: true, noLib: true, types: [] });
  const checker = program.getTypeChecker();
  const examples = [];
  const seen = new Set();
  const collect = (name, symbol, namespace) => {
    const decl = symbol.declarations?.[0];
    if (!decl) return;
    for (const tag of symbol.getJsDocTags(checker)) {
      if (tag.name === 'example') examples.push({ name, where: where(name, decl, root), code: ts.displayPartsToString(tag.text), namespace });
    }
  };
  const visit = (name, symbol, namespace) => {
    const real = target(symbol, checker);
    const decl = real.declarations?.[0];
    if (!decl || seen.has(real) || decl.getSourceFile().fileName.includes('node_modules')) return;
    seen.add(real);
    if (real.flags & ts.SymbolFlags.ValueModule) {
      for (const member of checker.getExportsOfModule(real)) visit(`${name}.${member.name}`, member, name);
      return;
    }
    collect(name, real, namespace);
    if (real.flags & (ts.SymbolFlags.Class | ts.SymbolFlags.Interface)) {
      for (const [memberName, member] of real.members ?? []) if (!memberName.startsWith('__')) collect(`${name}.${memberName}`, member, namespace);
    }
  };
  for (const symbol of checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(entry)))) visit(symbol.name, symbol, null);
  return examples;
}

/** Whether a base class or implemented interface documents the member `name`. */
function inheritedDoc(symbol, name, checker) {
  const decl = symbol.declarations?.[0];
  if (!decl || !ts.isClassDeclaration(decl)) return false;
  for (const clause of decl.heritageClauses ?? []) {
    for (const t of clause.types) {
      const type = checker.getTypeAtLocation(t.expression);
      const base = checker.getTypeAtLocation(t);
      for (const candidate of [base, type]) {
        const prop = candidate.getProperty(name);
        if (prop && docOf(prop, checker) !== '') return true;
      }
    }
  }
  return false;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const strictMembers = args.includes('--strict-members');
  const entry = resolve(args.find((a) => !a.startsWith('--')) ?? 'src/index.ts');
  const { exports, members, examples } = undocumented(entry);
  const failing = strictMembers ? exports.concat(members) : exports;
  if (!strictMembers && members.length > 0) console.warn(`check-docs: warning: ${members.length} public members have no doc comment:\n  ${members.join('\n  ')}`);
  if (failing.length > 0) console.error(`check-docs: ${failing.length} public symbols have no doc comment:\n  ${failing.join('\n  ')}`);
  if (examples.length > 0) console.error(`check-docs: ${examples.length} exported functions / classes have no @example:\n  ${examples.join('\n  ')}`);
  if (failing.length > 0 || examples.length > 0) process.exit(1);
  console.log(`check-docs: every exported symbol of ${relative(process.cwd(), entry)} has a doc comment, every function and class an @example`);
}
