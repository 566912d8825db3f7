// talkgraph's web page: search, a page per company, technology, talk and person, the technology radar,
// a graph view of what is on screen, a SPARQL editor and the notes files, all over the JSON API that
// `talkgraph serve` answers. Plain DOM code; the one library is cytoscape.js for the graph view.
"use strict";

const main = document.getElementById("main");
const STANCES = ["adopted", "uses", "evaluated", "considering", "rejected", "migratedFrom"];
const STANCE_WORDS = {
  adopted: "adopted", uses: "uses", evaluated: "evaluated", considering: "considering",
  rejected: "rejected", migratedFrom: "migrated from",
};
const STANCE_COLOURS = {
  adopted: "#1a8a4a", uses: "#2f6fdf", evaluated: "#b07b00", considering: "#7b4fc9",
  rejected: "#c23b3b", migratedFrom: "#6b7280",
};
const PAGE = 100;

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null) continue;
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

async function api(path) {
  const response = await fetch(path, { headers: { Accept: "application/json" } });
  const body = await response.json().catch(() => ({ error: response.statusText }));
  if (!response.ok) throw new Error(body.error || response.statusText);
  return body;
}

function entityHref(iri) { return "#/e/" + encodeURIComponent(iri); }
function fileHref(path, line) { return "#/file/" + encodeURIComponent(path) + (line ? "/" + line : ""); }
function link(iri, label) { return el("a", { href: entityHref(iri) }, label || iri); }
function stanceBadge(kind) { return el("span", { class: "stance stance-" + kind }, STANCE_WORDS[kind] || kind); }

function show(...nodes) {
  // A graph view being replaced is stopped first, so it never draws into a container that left the page.
  if (window.talkgraphGraph) {
    window.talkgraphGraph.destroy();
    window.talkgraphGraph = null;
  }
  main.replaceChildren(...nodes.flat(Infinity).filter((n) => n !== null && n !== undefined));
}

function failure(error) {
  show(el("p", { class: "error", role: "alert" }, String(error.message || error)));
}

// ---- search ----

function didYouMean(suggestions) {
  if (!suggestions || !suggestions.length) return null;
  return el("p", { class: "notice" }, "Did you mean ",
    suggestions.map((s, i) => [i ? ", " : "", link(s.iri, s.label)]), "?");
}

async function searchPage(q) {
  document.getElementById("search").value = q;
  const found = await api("/api/search?q=" + encodeURIComponent(q));
  const list = el("ul", { class: "results" },
    found.results.map((r) => el("li", {}, el("span", { class: "kind" }, r.kind), " ", link(r.iri, r.label))));
  show(el("h1", {}, "Search: ", q),
    found.results.length ? list : el("p", {}, "Nothing in the graph is called “" + q + "”."),
    found.results.length ? null : didYouMean(found.suggestions));
}

// ---- entity pages ----

function stanceTable(rows, columns) {
  const head = el("tr", {}, columns.map((c) => el("th", {}, c.title)));
  const body = rows.map((r) => el("tr", {}, columns.map((c) => el("td", {}, c.cell(r)))));
  return el("table", { class: "stances" }, el("thead", {}, head), el("tbody", {}, body));
}

const evidenceCell = (r) => [el("span", { class: "evidence" }, r.evidence), " ",
  el("a", { href: fileHref(r.file, r.line), class: "source" }, r.file + ":" + r.line)];
const talkCell = (r) => (r.talk ? [link(r.talk, r.talkTitle || "talk"), r.date ? " (" + r.date + ")" : ""] : "");

function pager(total, offset, go) {
  if (total <= PAGE) return null;
  return el("div", { class: "pager" },
    el("button", { disabled: offset === 0 ? "" : null, onclick: () => go(Math.max(0, offset - PAGE)) }, "Previous"),
    el("span", {}, `${offset + 1}–${Math.min(total, offset + PAGE)} of ${total}`),
    el("button", { disabled: offset + PAGE >= total ? "" : null, onclick: () => go(offset + PAGE) }, "Next"));
}

async function entityPage(iri, offset = 0, talkOffset = 0) {
  const e = await api(`/api/entity?iri=${encodeURIComponent(iri)}&limit=${PAGE}&offset=${offset}&talkOffset=${talkOffset}`);
  const parts = [el("div", { class: "kind" }, e.kind), el("h1", {}, e.label)];
  if (e.aliases && e.aliases.length) parts.push(el("p", {}, "Also written: " + e.aliases.join(", ")));
  if (e.category) parts.push(el("p", {}, "Category: " + e.category));
  if (e.organizations && e.organizations.length) {
    parts.push(el("p", {}, "Organization: ", e.organizations.map((o, i) => [i ? ", " : "", link(o.iri, o.label)])));
  }
  if (e.speakers && e.speakers.length) {
    parts.push(el("h2", {}, "Speakers"), el("ul", {}, e.speakers.map((s) =>
      el("li", {}, link(s.iri, s.label), s.role ? ", " + s.role : "", s.org ? [" — ", link(s.org, s.orgLabel)] : ""))));
  }
  if (e.file) parts.push(el("p", {}, "From ", el("a", { href: fileHref(e.file, e.line) }, e.file + (e.line ? ":" + e.line : ""))));
  const columns = {
    Technology: [
      { title: "Company", cell: (r) => link(r.org, r.orgLabel) },
      { title: "Stance", cell: (r) => stanceBadge(r.stance) },
      { title: "Evidence", cell: evidenceCell },
      { title: "Talk", cell: talkCell }],
    Organization: [
      { title: "Technology", cell: (r) => link(r.tech, r.techLabel) },
      { title: "Stance", cell: (r) => stanceBadge(r.stance) },
      { title: "Evidence", cell: evidenceCell },
      { title: "Talk", cell: talkCell }],
    Talk: [
      { title: "Company", cell: (r) => link(r.org, r.orgLabel) },
      { title: "Stance", cell: (r) => stanceBadge(r.stance) },
      { title: "Technology", cell: (r) => link(r.tech, r.techLabel) },
      { title: "Evidence", cell: evidenceCell }],
  }[e.kind] || [
    { title: "Company", cell: (r) => link(r.org, r.orgLabel) },
    { title: "Stance", cell: (r) => stanceBadge(r.stance) },
    { title: "Technology", cell: (r) => link(r.tech, r.techLabel) },
    { title: "Evidence", cell: evidenceCell }];
  if (e.stances) {
    parts.push(el("h2", {}, "Stances"));
    if (e.stances.total) {
      parts.push(stanceTable(e.stances.rows, columns),
        pager(e.stances.total, offset, (next) => entityPage(iri, next, talkOffset).catch(failure)));
    } else {
      parts.push(el("p", {}, "No stance recorded."));
    }
  }
  if (e.mentions && e.mentions.length) {
    parts.push(el("h2", {}, "Mentions"), el("p", {}, e.mentions.map((m, i) => [i ? ", " : "", link(m.iri, m.label)])));
  }
  if (e.talks && e.talks.rows.length) {
    parts.push(el("h2", {}, "Talks"), el("ul", { class: "talks" }, e.talks.rows.map((t) =>
      el("li", {}, link(t.iri, t.title || "untitled talk"), t.date ? " (" + t.date + ")" : ""))));
    parts.push(pager(e.talks.total, talkOffset, (next) => entityPage(iri, offset, next).catch(failure)));
  }
  parts.push(el("h2", {}, "Neighbourhood"), graphLegend(), el("div", { id: "graph" }));
  show(...parts);
  drawGraph(iri);
}

// ---- graph view ----

function graphLegend() {
  return el("p", { class: "legend" }, STANCES.map((s) =>
    el("span", {}, el("span", { class: "stance stance-" + s }, STANCE_WORDS[s]))));
}

async function drawGraph(iri) {
  const container = document.getElementById("graph");
  if (typeof cytoscape !== "function") {
    container.replaceChildren(el("p", { class: "notice" }, "The graph view needs cytoscape.js: run `npm ci` in web/ and rebuild."));
    return;
  }
  const g = await api("/api/graph?iri=" + encodeURIComponent(iri));
  if (!container.isConnected) return; // the person moved on while the neighbourhood was on its way
  const shapes = { Organization: "round-rectangle", Technology: "ellipse", Talk: "diamond", Person: "triangle" };
  const cy = cytoscape({
    container,
    elements: [
      ...g.nodes.map((n) => ({ data: { id: n.id, label: n.label, kind: n.kind } })),
      ...g.edges.map((e, i) => ({ data: { id: "e" + i, source: e.source, target: e.target, kind: e.kind } })),
    ],
    style: [
      { selector: "node", style: { label: "data(label)", "font-size": 10, "background-color": "#9aa5b8", width: 18, height: 18 } },
      ...Object.entries(shapes).map(([kind, shape]) => ({ selector: `node[kind = "${kind}"]`, style: { shape } })),
      { selector: `node[id = "${iri.replace(/"/g, "")}"]`, style: { "background-color": "#1d2330", width: 26, height: 26 } },
      { selector: "edge", style: { width: 1.5, "line-color": "#c5ccd8", "curve-style": "bezier", "target-arrow-shape": "triangle", "target-arrow-color": "#c5ccd8" } },
      ...Object.entries(STANCE_COLOURS).map(([kind, colour]) => ({
        selector: `edge[kind = "${kind}"]`, style: { "line-color": colour, "target-arrow-color": colour, width: 2.5 },
      })),
    ],
    layout: { name: "cose", animate: false, padding: 40, randomize: false },
    maxZoom: 1.2,
    minZoom: 0.2,
  });
  cy.on("tap", "node", (event) => { location.hash = entityHref(event.target.id()); });
  container.dataset.nodes = String(g.nodes.length);
  window.talkgraphGraph = cy;
}

// ---- radar ----

const RINGS = ["Adopt", "Trial", "Assess", "Hold"];

async function radarPage() {
  const radar = await api("/api/radar");
  const size = 640, centre = size / 2, outer = centre - 20;
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", `0 0 ${size} ${size}`);
  svg.setAttribute("class", "radar");
  svg.setAttribute("width", "100%");
  const ns = (tag, attrs) => {
    const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    return node;
  };
  // Ring bands: the inner rings hold most blips, so they get most of the room.
  const edges = [0, 0.5, 0.7, 0.85, 1].map((f) => f * outer);
  const fills = ["#d8dfea", "#e3e8f0", "#eef1f6", "#f5f7fa"];
  for (let i = RINGS.length - 1; i >= 0; i--) {
    svg.append(ns("circle", { cx: centre, cy: centre, r: edges[i + 1], fill: fills[i], stroke: "#fff" }));
  }
  RINGS.forEach((ring, i) => {
    const label = ns("text", { x: centre + 4, y: centre - edges[i + 1] + 14, fill: "#5b6475" });
    label.textContent = ring;
    svg.append(label);
  });
  svg.append(ns("line", { x1: centre, y1: centre - outer, x2: centre, y2: centre + outer, stroke: "#fff", "stroke-width": 3 }));
  svg.append(ns("line", { x1: centre - outer, y1: centre, x2: centre + outer, y2: centre, stroke: "#fff", "stroke-width": 3 }));
  const quadrants = radar.quadrants.slice(0, 4);
  quadrants.forEach((q, i) => {
    const label = ns("text", { x: i % 2 ? size - 8 : 8, y: i < 2 ? 14 : size - 6, "text-anchor": i % 2 ? "end" : "start", "font-weight": "bold" });
    label.textContent = q;
    svg.append(label);
  });
  // Blips of one ring and quadrant sit on arcs 18 px apart, in name order: the same graph draws the same
  // radar, and no blip hides another.
  const segments = new Map();
  for (const blip of radar.blips) {
    const key = RINGS.indexOf(blip.ring) + "/" + Math.max(0, quadrants.indexOf(blip.quadrant)) % 4;
    if (!segments.has(key)) segments.set(key, []);
    segments.get(key).push(blip);
  }
  const spacing = 18;
  for (const [key, members] of segments) {
    const [ring, q] = key.split("/").map(Number);
    const base = [Math.PI, Math.PI * 1.5, Math.PI * 0.5, 0][q];
    const slots = [];
    for (let r = edges[ring] + (ring === 0 ? 14 : spacing / 2 + 2); r < edges[ring + 1] - 4 && slots.length < members.length; r += spacing) {
      const fit = Math.max(1, Math.floor((Math.PI / 2) * r / spacing) - 1);
      for (let k = 0; k < fit; k++) slots.push([r, base + (Math.PI / 2) * (k + 1) / (fit + 1)]);
    }
    const labelled = members.length <= 8;
    members.forEach((blip, i) => {
      const [r, angle] = slots[i % Math.max(1, slots.length)] || [edges[ring] + 8, base + Math.PI / 4];
      const x = centre + r * Math.cos(angle), y = centre + r * Math.sin(angle);
      const a = ns("a", { href: entityHref(blip.iri), class: "blip", "data-label": blip.label });
      const dot = ns("circle", { cx: x, cy: y, r: 6, fill: STANCE_COLOURS[blip.stance] || "#2f6fdf" });
      const title = ns("title", {});
      title.textContent = `${blip.label}: ${blip.ring} (${blip.companies.join(", ")})`;
      a.append(dot, title);
      if (labelled) {
        const text = ns("text", { x: x + 8, y: y + 4 });
        text.textContent = blip.label;
        a.append(text);
      }
      svg.append(a);
    });
  }
  const table = stanceTable(radar.blips, [
    { title: "Technology", cell: (b) => link(b.iri, b.label) },
    { title: "Ring", cell: (b) => b.ring },
    { title: "Quadrant", cell: (b) => b.quadrant },
    { title: "Companies", cell: (b) => b.companies.join(", ") }]);
  show(el("h1", {}, "Technology radar"),
    el("p", {}, "Rings from what companies said: adopted or uses → Adopt, evaluated → Trial, considering → Assess, rejected or migrated from → Hold; the most frequent ring wins, ties to the nearer ring."),
    svg, el("h2", {}, "Blips"), table);
}

// ---- SPARQL editor and canned questions ----

function resultTable(json) {
  const vars = json.head.vars;
  const rows = json.results ? json.results.bindings : [];
  return el("table", { class: "sparql-results" },
    el("thead", {}, el("tr", {}, vars.map((v) => el("th", {}, v)))),
    el("tbody", {}, rows.map((b) => el("tr", {}, vars.map((v) => el("td", {}, cellOf(b[v])))))));
}

function cellOf(term) {
  if (!term) return "";
  if (term.type === "uri") return term.value.startsWith("https://talkgraph.dev/id/") ? link(term.value, term.value.split("/").pop()) : term.value;
  return term.value;
}

async function sparqlPage(initial) {
  const queries = await api("/api/queries");
  const area = el("textarea", { id: "sparql-text", spellcheck: "false" });
  area.value = initial || "PREFIX tg: <https://talkgraph.dev/ontology#>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\nSELECT ?company ?technology WHERE {\n  ?s tg:stanceKind tg:adopted ; tg:organization/skos:prefLabel ?company ; tg:technology/skos:prefLabel ?technology .\n} LIMIT 100";
  const out = el("div", { id: "sparql-out" });
  const run = async () => {
    out.replaceChildren(el("p", {}, "Running…"));
    const response = await fetch("/sparql", {
      method: "POST",
      headers: { "Content-Type": "application/sparql-query", Accept: "application/sparql-results+json" },
      body: area.value,
    });
    if (!response.ok) { out.replaceChildren(el("p", { class: "error" }, await response.text())); return; }
    const json = await response.json();
    if (json.boolean !== undefined) out.replaceChildren(el("p", {}, "Answer: " + json.boolean));
    else out.replaceChildren(el("p", {}, json.results.bindings.length + " rows"), resultTable(json));
  };
  const examples = el("select", { id: "sparql-examples", onchange: (e) => {
    const q = queries.find((x) => x.name === e.target.value);
    if (q) area.value = q.text;
  } }, el("option", { value: "" }, "Examples: the canned questions…"), queries.map((q) => el("option", { value: q.name }, q.question)));
  show(el("h1", {}, "SPARQL"), examples, area, el("p", {}, el("button", { id: "sparql-run", onclick: run }, "Run")), out);
}

async function queriesPage() {
  const queries = await api("/api/queries");
  show(el("h1", {}, "Questions"), el("ul", {}, queries.map((q) => el("li", {},
    el("a", { href: "#/q/" + q.name }, q.question),
    q.params.length ? " — " + q.params.map((p) => p.name).join(", ") : ""))));
}

async function queryPage(name, search) {
  const queries = await api("/api/queries");
  const q = queries.find((x) => x.name === name);
  if (!q) throw new Error("no question named " + name);
  const values = new URLSearchParams(search);
  const form = el("form", { class: "params" }, q.params.map((p) =>
    el("label", {}, p.name + " ", el("input", { name: p.name, value: values.get(p.name) || "", placeholder: p.about }), " ")),
  el("button", { type: "submit" }, "Ask"));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    location.hash = "#/q/" + name + "?" + new URLSearchParams(new FormData(form)).toString();
  });
  const parts = [el("h1", {}, q.question), form];
  if (q.params.every((p) => values.get(p.name))) {
    const answer = await api(`/api/queries/${name}?${values.toString()}&limit=${PAGE}`);
    if (answer.unknown) {
      parts.push(el("p", { class: "notice" }, `No ${answer.unknown.param} is called “${answer.unknown.value}”.`),
        didYouMean(answer.unknown.suggestions));
    } else {
      parts.push(el("p", {}, answer.rows.length + " rows"), stanceTable(answer.rows, answer.variables.map((v) => ({
        title: v, cell: (r) => r[v] === undefined ? "" : String(r[v]) }))));
    }
  }
  show(...parts);
}

// ---- notes files ----

async function filePage(path, line) {
  const file = await api("/api/file?path=" + encodeURIComponent(path));
  const pre = el("pre", { class: "notes" }, file.lines.map((text, i) => el("div", { id: "L" + (i + 1), class: i + 1 === line ? "target" : null },
    el("a", { class: "ln", href: fileHref(path, i + 1) }, i + 1), text)));
  show(el("div", { class: "kind" }, "notes file"), el("h1", {}, file.path), pre);
  if (line) {
    const target = document.getElementById("L" + line);
    if (target) target.scrollIntoView({ block: "center" });
  }
}

// ---- home and routing ----

async function homePage() {
  const stats = await api("/api/stats");
  show(el("h1", {}, "What companies said about their technologies"),
    el("p", {}, `${stats.talks} talks, ${stats.organizations} organizations, ${stats.technologies} technologies, ${stats.stances} stances from ${stats.files} notes files.`),
    el("p", {}, "Search above, or open the ", el("a", { href: "#/radar" }, "technology radar"), ", the ",
      el("a", { href: "#/queries" }, "questions"), " or the ", el("a", { href: "#/sparql" }, "SPARQL editor"), "."));
}

async function route() {
  const hash = location.hash.replace(/^#/, "") || "/";
  const [path, search = ""] = hash.split("?");
  const parts = path.split("/").slice(1).map(decodeURIComponent);
  try {
    if (parts[0] === "search") await searchPage(parts.slice(1).join("/"));
    else if (parts[0] === "e") await entityPage(parts.slice(1).join("/"));
    else if (parts[0] === "radar") await radarPage();
    else if (parts[0] === "sparql") await sparqlPage();
    else if (parts[0] === "queries") await queriesPage();
    else if (parts[0] === "q") await queryPage(parts[1], search);
    else if (parts[0] === "file") {
      const last = parts[parts.length - 1];
      const line = /^\d+$/.test(last) && parts.length > 2 ? Number(last) : null;
      await filePage(line ? parts.slice(1, -1).join("/") : parts.slice(1).join("/"), line);
    } else await homePage();
  } catch (error) {
    failure(error);
  }
}

document.getElementById("search-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const q = document.getElementById("search").value.trim();
  if (q) location.hash = "#/search/" + encodeURIComponent(q);
});
window.addEventListener("hashchange", route);

// Live notes: the server counts its re-ingests; when the count moves, the page on screen is drawn again.
let generation = null;
async function watchGeneration() {
  try {
    const { generation: now } = await api("/api/generation");
    if (generation !== null && now !== generation) route();
    generation = now;
  } catch (_) { /* the server is restarting; try again */ }
}
setInterval(watchGeneration, 1500);
watchGeneration();
route();
