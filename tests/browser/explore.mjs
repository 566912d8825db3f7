// Drives the web page of a running `talkgraph serve` in Debian's chromium (headless, through
// playwright-core) as a person would: search, the technology page and its evidence, the notes line it
// links to, the radar, the graph view, the SPARQL editor, and a note edited while the page is open.
// Screenshots of each page go to SHOTS.
//
//   node tests/browser/explore.mjs URL NOTES_DIR SHOTS [CHROMIUM]
//
// Exits 0 when every step holds; otherwise prints the step that failed and exits 1.
import { chromium } from "../../web/node_modules/playwright-core/index.mjs";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const [url, notesDir, shots, executable = "/usr/bin/chromium"] = process.argv.slice(2);
mkdirSync(shots, { recursive: true });

function check(condition, what) {
  if (!condition) throw new Error("failed: " + what);
  console.log("ok: " + what);
}

const browser = await chromium.launch({ executablePath: executable, args: ["--no-sandbox", "--disable-gpu"] });
const outside = [];
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on("request", (r) => { if (!r.url().startsWith(url)) outside.push(r.url()); });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));

  // The home page says what the store holds.
  await page.goto(url);
  await page.waitForSelector("main h1");
  check((await page.textContent("main")).includes("talks"), "the home page counts the talks");
  await page.screenshot({ path: join(shots, "home.png"), fullPage: true });

  // Search "stolon" → the technology page lists United Traders with the evidence line.
  await page.fill("#search", "stolon");
  await page.press("#search", "Enter");
  await page.waitForSelector(".results a");
  await page.screenshot({ path: join(shots, "search.png"), fullPage: true });
  await page.click(".results a:text-is('Stolon')");
  await page.waitForSelector("table.stances");
  const row = page.locator("table.stances tr", { hasText: "United Traders" }).first();
  check(await row.count() === 1, "the Stolon page lists United Traders");
  const evidence = (await row.locator(".evidence").textContent()).trim();
  check(/stolon/i.test(evidence), `its evidence line quotes the notes ("${evidence}")`);
  await page.waitForFunction(() => window.talkgraphGraph && window.talkgraphGraph.nodes().length > 1);
  const graphLabels = await page.evaluate(() => window.talkgraphGraph.nodes().map((n) => n.data("label")));
  check(graphLabels.includes("United Traders") && graphLabels.includes("Stolon"), "the graph view draws Stolon and United Traders");
  check(await page.locator("#graph canvas").count() > 0, "the graph view has a canvas");
  await page.screenshot({ path: join(shots, "technology.png"), fullPage: true });

  // The talk behind the evidence, and its speaker's page.
  await row.locator("td:last-child a").first().click();
  // The technology page has a `.kind` too: wait for the talk page to replace it (or time out and fail).
  const kindIs = (kind) => document.querySelector("main .kind")?.textContent.trim().toLowerCase() === kind;
  await page.waitForFunction(kindIs, "talk").catch(() => {});
  check((await page.textContent("main .kind")).trim().toLowerCase() === "talk", "the evidence's talk opens its talk page");
  const speaker = page.locator("main ul li a").first();
  check(await speaker.count() === 1, "the talk page lists its speakers");
  const speakerName = (await speaker.textContent()).trim();
  await page.screenshot({ path: join(shots, "talk.png"), fullPage: true });
  await speaker.click();
  await page.waitForFunction((name) => document.querySelector("main h1")?.textContent === name, speakerName);
  check((await page.textContent("main .kind")).trim().toLowerCase() === "person", `${speakerName} has a person page`);
  await page.screenshot({ path: join(shots, "person.png"), fullPage: true });
  // One step back at a time: a second `goBack` issued before the first has landed can be lost.
  await page.goBack();
  await page.waitForFunction(kindIs, "talk");
  await page.goBack();
  // The talk page has a stances table too: wait for the Stolon page itself, not any table.
  await page.waitForFunction(() => document.querySelector("main h1")?.textContent.trim() === "Stolon"
    && document.querySelector("table.stances"));

  // Clicking the evidence opens the notes file at that line.
  await row.locator("a.source").click();
  await page.waitForSelector("pre.notes .target");
  const line = (await page.textContent("pre.notes .target")).trim();
  check(line.includes(evidence.slice(0, 20)), "the notes open at the evidence line");
  await page.screenshot({ path: join(shots, "notes.png") });

  // Another script: кубернетес finds Kubernetes.
  await page.goto(url + "#/search/" + encodeURIComponent("кубернетес"));
  await page.waitForSelector(".results a");
  check((await page.textContent(".results")).includes("Kubernetes"), "кубернетес finds Kubernetes");

  // An unknown name gets "did you mean".
  await page.goto(url + "#/search/" + encodeURIComponent("stolonn"));
  await page.waitForSelector(".notice");
  check((await page.textContent(".notice")).includes("Stolon"), "stolonn: did you mean Stolon?");

  // A company page.
  await page.goto(url + "#/search/" + encodeURIComponent("united traders"));
  await page.waitForSelector(".results a");
  await page.click(".results a:text-is('United Traders')");
  await page.waitForSelector("table.stances");
  check((await page.textContent("table.stances")).includes("Stolon"), "the United Traders page shows its stance on Stolon");
  await page.screenshot({ path: join(shots, "company.png") });

  // The radar draws clickable blips.
  await page.goto(url + "#/radar");
  await page.waitForSelector("svg.radar a.blip");
  const blips = await page.locator("svg.radar a.blip").count();
  check(blips > 5, `the radar draws ${blips} blips`);
  const stolonBlip = page.locator('svg.radar a.blip[data-label="Stolon"]');
  check(await stolonBlip.count() === 1, "Stolon is on the radar");
  await page.screenshot({ path: join(shots, "radar.png"), fullPage: true });
  await stolonBlip.locator("circle").click();
  await page.waitForSelector("table.stances");
  check((await page.textContent("main h1")).trim() === "Stolon", "a blip opens its technology");

  // The SPARQL editor runs a query and shows rows.
  await page.goto(url + "#/sparql");
  await page.waitForSelector("#sparql-run");
  await page.selectOption("#sparql-examples", { index: 1 });
  await page.fill("#sparql-text", "PREFIX tg: <https://talkgraph.dev/ontology#>\nSELECT ?o ?t WHERE { ?o tg:adopted ?t } LIMIT 5");
  await page.click("#sparql-run");
  await page.waitForSelector("table.sparql-results tbody tr");
  check(await page.locator("table.sparql-results tbody tr").count() === 5, "the SPARQL editor shows 5 rows");
  await page.screenshot({ path: join(shots, "sparql.png"), fullPage: true });

  // A canned question with a parameter that names nothing says "did you mean".
  await page.goto(url + "#/q/company-profile?company=united");
  await page.waitForSelector(".notice, table.stances");
  check((await page.textContent("main")).includes("United Traders"), "company=united: did you mean United Traders?");

  // A note written while the page is open shows up on it.
  await page.goto(url + "#/search/cockroachdb");
  await page.waitForFunction(() => document.querySelector("main h1")?.textContent.includes("cockroachdb"));
  check(await page.locator(".results a").count() === 0, "before the edit nothing is called CockroachDB");
  writeFileSync(join(notesDir, "zz-live-edit.md"),
    "# Ingest at scale\n\nSpeaker: Jane Doe (Globex)\n\nGlobex moved from MySQL to CockroachDB last year.\n");
  await page.waitForSelector(".results a", { timeout: 20000 });
  check((await page.textContent(".results")).includes("CockroachDB"), "the new note shows up on the open page");
  await page.screenshot({ path: join(shots, "live-edit.png"), fullPage: true });

  check(errors.length === 0, "no script errors on the page" + (errors.length ? ": " + errors.join("; ") : ""));
  check(outside.length === 0, "no request left the server" + (outside.length ? ": " + outside.join(", ") : ""));
} catch (error) {
  console.error(String(error.stack || error));
  process.exitCode = 1;
} finally {
  await browser.close();
}
