#!/usr/bin/env node
// A small, dependency-free static file server for the demo and the end-to-end tests.
// Serves files from one or more roots (first match wins) plus URL-prefix mounts, on a loopback
// address only, with the right MIME types (application/wasm matters for streaming compilation),
// no caching, no directory listings, no path traversal, and optional extra headers such as a
// strict Content-Security-Policy.
//
// CLI:
//   node scripts/static-server.mjs --root DIR [--root DIR…] [--mount /prefix=DIR…]
//        [--host 127.0.0.1] [--port 8080|0] [--header "Name: value"…] [--strict-csp CONNECT_SRC…]
//        (--strict-csp is repeatable: one connect-src origin each)
// Prints "listening on http://HOST:PORT/" once ready (port 0 = pick a free one).
//
// Library (tests reuse it in-process):
//   import { startStaticServer, strictCsp } from "./static-server.mjs";
//   const server = await startStaticServer({ roots: [dir], mounts: { "/dist": distDir }, headers });
//   server.url; await server.close();

import { createServer } from "node:http";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

import { isMain } from "./lib/cli.mjs";

const MIME_TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".pdf": "application/pdf",
  ".pub": "text/plain; charset=utf-8",
  ".woff2": "font/woff2",
};

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "::1"]);

/**
 * A strict Content-Security-Policy for pages that embed the widget: no inline scripts or styles,
 * wasm compilation allowed, network access only to the page's own origin plus `connectSrc`.
 * @param {string[]} connectSrc extra origins the page may fetch from (e.g. the intake service)
 */
export function strictCsp(connectSrc = []) {
  return [
    "default-src 'none'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ${connectSrc.join(" ")}`.trim(),
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join("; ");
}

/** Resolve a URL path inside `dir`, or null if it would escape it. */
function insideDir(dir, relativePath) {
  const base = path.resolve(dir);
  const full = path.resolve(base, "." + path.posix.normalize("/" + relativePath));
  return full === base || full.startsWith(base + path.sep) ? full : null;
}

async function findFile(candidates) {
  for (let candidate of candidates) {
    if (!candidate) continue;
    try {
      let info = await stat(candidate);
      if (info.isDirectory()) {
        candidate = path.join(candidate, "index.html");
        info = await stat(candidate);
      }
      if (info.isFile()) return { file: candidate, size: info.size };
    } catch {
      // not here; try the next root
    }
  }
  return null;
}

/**
 * Start serving. Options: roots (string[]), mounts ({prefix: dir}), host, port,
 * headers (object, or function(urlPath) → object), log (boolean).
 * Resolves to { url, port, server, close() }.
 */
export async function startStaticServer({
  roots = [],
  mounts = {},
  host = "127.0.0.1",
  port = 0,
  headers = {},
  log = false,
} = {}) {
  if (!LOOPBACK_HOSTS.has(host)) {
    throw new Error(`refusing to listen on ${host}: this server is for loopback addresses only`);
  }
  const mountList = Object.entries(mounts)
    .map(([prefix, dir]) => [prefix.replace(/\/+$/, ""), dir])
    .sort((a, b) => b[0].length - a[0].length);

  const server = createServer(async (request, response) => {
    const send = (status, body, extra = {}) => {
      response.writeHead(status, { "content-type": "text/plain; charset=utf-8", ...extra });
      response.end(request.method === "HEAD" ? undefined : body);
    };
    try {
      if (request.method !== "GET" && request.method !== "HEAD") {
        return send(405, "method not allowed\n", { allow: "GET, HEAD" });
      }
      let urlPath;
      try {
        urlPath = decodeURIComponent(new URL(request.url, "http://localhost").pathname);
      } catch {
        return send(400, "bad request path\n");
      }
      if (urlPath.includes("\0")) return send(400, "bad request path\n");

      const candidates = [];
      for (const [prefix, dir] of mountList) {
        if (urlPath === prefix || urlPath.startsWith(prefix + "/")) {
          candidates.push(insideDir(dir, urlPath.slice(prefix.length) || "/"));
        }
      }
      for (const root of roots) candidates.push(insideDir(root, urlPath));

      const found = await findFile(candidates);
      const extraHeaders = typeof headers === "function" ? headers(urlPath) : headers;
      if (!found) {
        if (log) console.log(`404 ${request.method} ${urlPath}`);
        return send(404, `not found: ${urlPath}\n`, extraHeaders);
      }
      const type = MIME_TYPES[path.extname(found.file).toLowerCase()] ?? "application/octet-stream";
      response.writeHead(200, {
        "content-type": type,
        "content-length": found.size,
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
        ...extraHeaders,
      });
      if (log) console.log(`200 ${request.method} ${urlPath}`);
      if (request.method === "HEAD") return response.end();
      createReadStream(found.file).pipe(response);
    } catch (error) {
      if (!response.headersSent) send(500, `server error: ${error.message}\n`);
      else response.destroy();
    }
  });

  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, resolve);
  });
  const actualPort = server.address().port;
  const shownHost = host.includes(":") ? `[${host}]` : host;
  return {
    server,
    port: actualPort,
    url: `http://${shownHost}:${actualPort}/`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

const USAGE =
  "usage: static-server.mjs --root DIR [--mount /prefix=DIR] [--host 127.0.0.1] [--port N]\n" +
  '                         [--header "Name: value"] [--strict-csp CONNECT_SRC…] [--log]';

function parseCommandLine(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      root: { type: "string", multiple: true, default: [] },
      mount: { type: "string", multiple: true, default: [] },
      host: { type: "string", default: "127.0.0.1" },
      port: { type: "string", default: "8080" },
      header: { type: "string", multiple: true, default: [] },
      // Repeatable: each occurrence adds one origin the strict CSP lets the page connect to.
      "strict-csp": { type: "string", multiple: true },
      log: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const options = { roots: values.root, mounts: {}, headers: {}, host: values.host, port: Number(values.port), log: values.log };
  for (const mount of values.mount) {
    const [prefix, dir] = mount.split("=");
    if (!prefix?.startsWith("/") || !dir) throw new Error("--mount takes /prefix=DIR");
    options.mounts[prefix] = dir;
  }
  for (const header of values.header) {
    const colon = header.indexOf(":");
    if (colon < 1) throw new Error(`--header takes "Name: value", got ${header}`);
    options.headers[header.slice(0, colon).trim().toLowerCase()] = header.slice(colon + 1).trim();
  }
  if (values["strict-csp"]) options.headers["content-security-policy"] = strictCsp(values["strict-csp"]);
  if (options.roots.length === 0 && Object.keys(options.mounts).length === 0) {
    throw new Error("nothing to serve: give at least one --root or --mount");
  }
  return options;
}

if (isMain(import.meta.url)) {
  try {
    const served = await startStaticServer(parseCommandLine(process.argv.slice(2)));
    console.log(`listening on ${served.url}`);
    const stop = async () => {
      await served.close();
      process.exit(0);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  } catch (error) {
    console.error(`static-server: ${error.message}`);
    process.exit(2);
  }
}

export const SCRIPT_PATH = fileURLToPath(import.meta.url);
