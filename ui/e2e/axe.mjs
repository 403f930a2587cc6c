// Accessibility, checked rather than assumed: injects axe-core (the npm devDependency,
// pinned in package-lock.json) into the page through WebDriver and runs the WCAG 2.x
// A/AA rules. Serious and critical violations fail the caller; minor and moderate ones
// are printed. Works with any session that has `exec` and `execAsync` (webdriver.mjs).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

export const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];
const FAILING = new Set(["serious", "critical"]);

/** Injects axe-core once per page (a reload or navigation drops it). */
async function inject(session) {
  const present = await session.exec("return typeof window.axe === 'object' && typeof window.axe.run === 'function'");
  if (present) return;
  // The UMD bundle sets window.axe when there is no CommonJS `module` in scope.
  await session.exec(`${AXE_SOURCE}\n;return typeof window.axe;`);
  const ok = await session.exec("return typeof window.axe === 'object' && typeof window.axe.run === 'function'");
  if (!ok) throw new Error("axe-core could not be injected into the page");
}

/**
 * Runs axe on the whole document and returns its violations as
 * `[{id, impact, help, nodes: [{target, summary}]}]`. Throws (naming the screen `name`)
 * when any is serious or critical, unless `{throwOn: []}` is passed.
 */
export async function axeCheck(session, name, { throwOn = FAILING, tags = WCAG_TAGS } = {}) {
  await inject(session);
  const result = await session.execAsync(
    "const done = arguments[arguments.length - 1];" +
      "window.axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})" +
      ".then(r => done({ok: true, violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help," +
      " nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary}))}))}))" +
      ".catch(e => done({ok: false, error: String(e && e.stack || e)}));",
    [tags],
  );
  if (!result?.ok) throw new Error(`axe could not run on ${name}: ${result?.error ?? JSON.stringify(result)}`);
  const violations = result.violations;
  const failing = violations.filter((v) => new Set(throwOn).has(v.impact));
  for (const v of violations) {
    const where = v.nodes.map((n) => n.target).slice(0, 5).join(", ");
    console.log(`  axe ${name}: ${v.impact} ${v.id} (${v.help}) at ${where}`);
  }
  if (failing.length > 0) {
    const detail = failing
      .map((v) => `${v.impact} ${v.id}: ${v.help}\n${v.nodes.map((n) => `    ${n.target}: ${n.summary}`).join("\n")}`)
      .join("\n  ");
    throw new Error(`accessibility: ${failing.length} serious/critical violation(s) on ${name}:\n  ${detail}`);
  }
  console.log(`  axe ${name}: no serious or critical violations (${violations.length} other)`);
  return violations;
}
