/**
 * The audit action table covers every action the code records: the source is scanned (with the
 * TypeScript parser) for the action names passed to `change`, `record` and the helpers built on
 * them, and each must have a Japanese label; every label must belong to an action the code still
 * records, so the filter offers nothing that never happens.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import ts from "typescript";
import {
  auditActionGroups,
  auditActionLabels,
  auditAreas,
  formerAuditActionLabels,
  isAuditAction,
} from "./audit-actions.ts";

/** Functions whose argument at this index is the action recorded. */
const actionArgument: Record<string, number> = {
  change: 2,
  changeIncident: 2,
  changeIncidentCreation: 2,
  changeLockedPost: 2,
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [path] : [];
  });
}

/**
 * The action names an expression can evaluate to: literals, both branches of `?:`, a template
 * literal as a pattern, and a name declared in the same file (a `const` by its value, a
 * parameter by its literal union type).
 */
function namesOf(node: ts.Expression, source: ts.SourceFile): Array<string | RegExp> {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [node.text];
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node)) return namesOf(node.expression, source);
  if (ts.isIdentifier(node)) return declaredNames(node.text, node, source);
  if (ts.isConditionalExpression(node))
    return [...namesOf(node.whenTrue, source), ...namesOf(node.whenFalse, source)];
  if (ts.isTemplateExpression(node)) {
    const parts = [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].map((p) =>
      p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"),
    );
    return [new RegExp(`^${parts.join("[a-z_]+")}$`)];
  }
  return [];
}

/**
 * What `name` stands for where `at` uses it: a parameter of an enclosing function by its literal
 * union type (a parameter of a wider type passes on what its callers give, which are scanned
 * themselves), or a `const` of an enclosing block by its value.
 */
function declaredNames(name: string, at: ts.Node, source: ts.SourceFile): Array<string | RegExp> {
  for (let scope = at.parent; scope; scope = scope.parent) {
    if (ts.isFunctionLike(scope)) {
      const param = scope.parameters.find((p) => p.name.getText(source) === name);
      if (param) {
        const types = param.type && ts.isUnionTypeNode(param.type) ? param.type.types : [param.type];
        return types.flatMap((t) =>
          t && ts.isLiteralTypeNode(t) && ts.isStringLiteral(t.literal) ? [t.literal.text] : [],
        );
      }
    }
    if (ts.isBlock(scope) || ts.isSourceFile(scope)) {
      for (const statement of scope.statements) {
        if (!ts.isVariableStatement(statement)) continue;
        const declaration = statement.declarationList.declarations.find(
          (d) => d.name.getText(source) === name,
        );
        if (declaration?.initializer) return namesOf(declaration.initializer, source);
      }
    }
  }
  return [];
}

/**
 * Every action name (or pattern) the source passes to the recording functions, with where; and
 * every string literal of the source outside this table (where a name is kept in a constant).
 */
function scanSource(): { found: Array<{ name: string | RegExp; where: string }>; literals: Set<string> } {
  const found: Array<{ name: string | RegExp; where: string }> = [];
  const literals = new Set<string>();
  for (const file of sourceFiles("src")) {
    if (file.endsWith("audit-actions.ts")) continue;
    const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (ts.isStringLiteral(node)) literals.add(node.text);
      if (ts.isCallExpression(node) && ts.isIdentifier(node.expression)) {
        const callee = node.expression.text;
        const where = `${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
        const index = actionArgument[callee];
        const argument = index === undefined ? undefined : node.arguments[index];
        if (argument) for (const name of namesOf(argument, source)) found.push({ name, where });
        const props = callee === "record" ? node.arguments[1] : undefined;
        if (props && ts.isObjectLiteralExpression(props)) {
          for (const p of props.properties) {
            if (ts.isPropertyAssignment(p) && p.name.getText(source) === "action")
              for (const name of namesOf(p.initializer, source)) found.push({ name, where });
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { found, literals };
}

test("every action the code records has a Japanese label, and every label is recorded somewhere", () => {
  const { found, literals } = scanSource();
  assert.ok(found.length > 150, `found ${found.length} places that record an action`);
  const actions = Object.keys(auditActionLabels);
  for (const { name, where } of found) {
    if (typeof name === "string") {
      assert.ok(isAuditAction(name), `${where}: "${name}" has no label`);
      continue;
    }
    const matching = actions.filter((a) => name.test(a));
    assert.ok(matching.length > 0, `${where}: no label matches ${name}`);
    assert.ok(
      matching.length <= 2,
      `${where}: ${name} could be any of ${matching.length} actions; name them`,
    );
  }
  const recorded = (action: string) =>
    literals.has(action) ||
    found.some(({ name }) => (typeof name === "string" ? name === action : name.test(action)));
  assert.deepEqual(
    actions.filter((a) => !recorded(a)),
    [],
    "labels of actions the code no longer records",
  );
  for (const former of Object.keys(formerAuditActionLabels))
    assert.ok(!recorded(former), `${former} is recorded again: move it back to auditActionLabels`);
});

test("labels are Japanese and unique, and the filter groups every action under its area", () => {
  const labels = Object.values(auditActionLabels);
  for (const label of labels) assert.match(label, /[\u3040-\u30ff\u4e00-\u9fff]/, label);
  const grouped = auditActionGroups().flatMap((g) => g.actions.map((a) => a.action));
  const all = [...Object.keys(auditActionLabels), ...Object.keys(formerAuditActionLabels)];
  assert.deepEqual([...grouped].sort(), all.sort());
  assert.equal(new Set(labels).size, labels.length, "no two actions share a label");
  for (const group of auditActionGroups()) {
    assert.equal(group.label, auditAreas[group.area]);
    assert.ok(group.actions.length > 0, `${group.area} has actions`);
  }
});
