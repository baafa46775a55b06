// Run axe-core on local HTML files in headless Chromium, fully offline.
// Usage: node axe_check.mjs FILE.html...   Prints one JSON object per file.
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const require = createRequire(process.env.AXE_NODE_MODULES + "/");
const { chromium } = require("playwright-core");
const axeSource = require("fs").readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"],
});
try {
  for (const file of process.argv.slice(2)) {
    const page = await browser.newPage();
    await page.route("**/*", (route) => route.request().url().startsWith("file:") ? route.continue() : route.abort());
    await page.goto(pathToFileURL(file).href);
    await page.addScriptTag({ content: axeSource });
    const result = await page.evaluate(() => axe.run(document, {
      runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    }));
    console.log(JSON.stringify({
      file,
      violations: result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help })),
      passes: result.passes.length,
    }));
    await page.close();
  }
} finally {
  await browser.close();
}
