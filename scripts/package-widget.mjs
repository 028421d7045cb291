#!/usr/bin/env node
// Packages the built widget (dist/, from scripts/build-widget.sh) two ways:
//   OUT/npm/                               the npm package: package.json with `exports`, the four
//                                          dist files, TypeScript declarations (packaging/npm/)
//   OUT/trust-center-widget-VERSION.tgz    `npm pack` of it: what `npm install ./….tgz` takes
//   OUT/trust-center-VERSION.tar.gz        the release archive: the same files under
//                                          trust-center-VERSION/, reproducible (sorted, mtime 0)
// VERSION is the workspace version in Cargo.toml.
//
//   node scripts/package-widget.mjs [--dist DIR] [--out DIR]     (defaults dist/, target/widget-package/)

import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const PACKAGE_NAME = "trust-center-widget";
export const DIST_FILES = [
  "trust-center.js",
  "trust_center_widget.js",
  "trust_center_widget_bg.wasm",
  "trust-center.css",
  // The language files the loader fetches next to itself (docs/i18n.md).
  "trust-center.de.json",
  "trust-center.fr.json",
  "trust-center.es.json",
];
const TYPE_FILES = ["trust-center.d.ts", "react.d.ts", "react.js", "README.md"];

/** The workspace version from Cargo.toml (`[workspace.package] version = "…"`). */
export function workspaceVersion() {
  const toml = readFileSync(path.join(REPO_ROOT, "Cargo.toml"), "utf8");
  const section = toml.split(/^\[workspace\.package\]\s*$/m)[1]?.split(/^\[/m)[0] ?? "";
  const match = section.match(/^version\s*=\s*"([^"]+)"/m);
  if (!match) throw new Error("no [workspace.package] version in Cargo.toml");
  return match[1];
}

/** The package.json of the npm package. */
export function packageJson(version) {
  return {
    name: PACKAGE_NAME,
    version,
    description:
      "<trust-center> custom element: verifies a vendor's signed SOC 2 / ISO 27001 trust-center manifest (DSSE, Ed25519) in the browser and renders the trust page.",
    license: "Apache-2.0",
    type: "module",
    main: "./trust-center.js",
    module: "./trust-center.js",
    types: "./trust-center.d.ts",
    exports: {
      ".": { types: "./trust-center.d.ts", default: "./trust-center.js" },
      "./react": { types: "./react.d.ts", default: "./react.js" },
      "./trust-center.js": { types: "./trust-center.d.ts", default: "./trust-center.js" },
      "./trust-center.css": "./trust-center.css",
      "./trust_center_widget.js": "./trust_center_widget.js",
      "./trust_center_widget_bg.wasm": "./trust_center_widget_bg.wasm",
      "./trust-center.de.json": "./trust-center.de.json",
      "./trust-center.fr.json": "./trust-center.fr.json",
      "./trust-center.es.json": "./trust-center.es.json",
      "./package.json": "./package.json",
    },
    files: [...DIST_FILES, ...TYPE_FILES],
    // Importing the package defines the custom element.
    sideEffects: true,
    keywords: ["custom-element", "web-component", "soc2", "iso27001", "trust-center", "dsse", "ed25519", "wasm"],
    peerDependencies: {},
  };
}

function parseArgs(argv) {
  const options = { dist: path.join(REPO_ROOT, "dist"), out: path.join(REPO_ROOT, "target/widget-package") };
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === "--dist") options.dist = path.resolve(argv[++i]);
    else if (argv[i] === "--out") options.out = path.resolve(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  return options;
}

/** Builds the package, the npm tarball and the release archive; returns their paths. */
export function packageWidget({ dist, out }) {
  const version = workspaceVersion();
  for (const file of DIST_FILES) {
    if (!statSync(path.join(dist, file), { throwIfNoEntry: false })?.isFile()) {
      throw new Error(`${path.join(dist, file)} is missing: run scripts/build-widget.sh first`);
    }
  }
  const npmDir = path.join(out, "npm");
  const releaseName = `trust-center-${version}`;
  const releaseDir = path.join(out, "release", releaseName);
  rmSync(npmDir, { recursive: true, force: true });
  rmSync(path.join(out, "release"), { recursive: true, force: true });
  mkdirSync(npmDir, { recursive: true });
  mkdirSync(releaseDir, { recursive: true });
  for (const dir of [npmDir, releaseDir]) {
    for (const file of DIST_FILES) copyFileSync(path.join(dist, file), path.join(dir, file));
    for (const file of TYPE_FILES) copyFileSync(path.join(REPO_ROOT, "packaging/npm", file), path.join(dir, file));
    writeFileSync(path.join(dir, "package.json"), JSON.stringify(packageJson(version), null, 2) + "\n");
  }

  const packed = JSON.parse(
    execFileSync("npm", ["pack", "--json", "--pack-destination", out], { cwd: npmDir, encoding: "utf8" }),
  );
  const tarball = path.join(out, packed[0].filename);

  const archive = path.join(out, `${releaseName}.tar.gz`);
  const tar = execFileSync(
    "tar",
    ["--sort=name", "--mtime=@0", "--owner=0", "--group=0", "--numeric-owner", "-cf", "-", releaseName],
    { cwd: path.join(out, "release"), maxBuffer: 64 * 1024 * 1024 },
  );
  writeFileSync(archive, execFileSync("gzip", ["-9n"], { input: tar, maxBuffer: 64 * 1024 * 1024 }));
  return { version, npmDir, tarball, archive };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = packageWidget(parseArgs(process.argv.slice(2)));
  const size = (file) => statSync(file).size;
  console.log(`    npm package      ${path.relative(REPO_ROOT, result.npmDir)}/`);
  console.log(`    npm tarball      ${path.relative(REPO_ROOT, result.tarball)} (${size(result.tarball)} bytes)`);
  console.log(`    release archive  ${path.relative(REPO_ROOT, result.archive)} (${size(result.archive)} bytes)`);
}
