// The HTML sheet's layout in headless Chromium, fully offline: sideways scrolling at each width,
// the smallest text size when printed, and the printed PDF (A4 and Letter).
// Usage: node layout_check.mjs OUT_DIR FILE.html...   Prints one JSON object per file.
import { createRequire } from "node:module";
import { basename } from "node:path";
import { pathToFileURL } from "node:url";

const require = createRequire(process.env.AXE_NODE_MODULES + "/");
const { chromium } = require("playwright-core");
const WIDTHS = [320, 420, 1000];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"],
});
try {
  const [outDir, ...files] = process.argv.slice(2);
  for (const file of files) {
    const page = await browser.newPage();
    await page.route("**/*", (route) => route.request().url().startsWith("file:") ? route.continue() : route.abort());
    const widths = {};
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 800 });
      await page.goto(pathToFileURL(file).href);
      widths[width] = await page.evaluate(() => {
        const root = document.documentElement;
        const wider = [...document.querySelectorAll("body *")]
          .filter((e) => e.getBoundingClientRect().right > root.clientWidth + 0.5)
          .slice(0, 5)
          .map((e) => `${e.tagName.toLowerCase()}.${e.className?.baseVal ?? e.className}: ${(e.textContent || "").trim().slice(0, 40)}`);
        return { innerWidth: window.innerWidth, scroll: root.scrollWidth - root.clientWidth, wider };
      });
    }
    await page.emulateMedia({ media: "print" });
    const smallest = await page.evaluate(() => {
      let least = { px: Infinity, text: "" };
      for (const e of document.querySelectorAll("body *")) {
        if (e.closest("svg")) continue; // labels inside drawings are not body text
        const own = [...e.childNodes].filter((n) => n.nodeType === 3 && n.textContent.trim());
        if (!own.length) continue;
        const px = parseFloat(getComputedStyle(e).fontSize);
        if (px < least.px) least = { px, text: own[0].textContent.trim().slice(0, 40) };
      }
      return { pt: least.px * 0.75, text: least.text };
    });
    const pdfs = {};
    for (const format of ["A4", "Letter"]) {
      const path = `${outDir}/${basename(file, ".html")}-${format}.pdf`;
      await page.pdf({ path, format, printBackground: true });
      pdfs[format] = path;
    }
    console.log(JSON.stringify({ file, widths, smallest, pdfs }));
    await page.close();
  }
} finally {
  await browser.close();
}
