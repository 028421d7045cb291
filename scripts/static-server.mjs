#!/usr/bin/env node
// A small, dependency-free static file server for the demo and the end-to-end tests.
// Serves files from one or more roots (first match wins) plus URL-prefix mounts, on a loopback
// address only, with the right MIME types (application/wasm matters for streaming compilation),
// no caching, no directory listings, no path traversal, and optional extra headers such as a
// strict Content-Security-Policy.
//
// CLI:
//   node scripts/static-server.mjs --root DIR [--root DIR…] [--mount /prefix=DIR…]
//        [--host 127.0.0.1] [--port 8080|0] [--header "Name: value"…] [--strict-csp [CONNECT_SRC…]]
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
import { fileURLToPath, pathToFileURL } from "node:url";

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

function parseArgs(argv) {
  const options = { roots: [], mounts: {}, headers: {}, host: "127.0.0.1", port: 8080, log: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${arg} needs a value`);
      return argv[++i];
    };
    if (arg === "--root") options.roots.push(value());
    else if (arg === "--mount") {
      const [prefix, dir] = value().split("=");
      if (!prefix?.startsWith("/") || !dir) throw new Error("--mount takes /prefix=DIR");
      options.mounts[prefix] = dir;
    } else if (arg === "--host") options.host = value();
    else if (arg === "--port") options.port = Number(value());
    else if (arg === "--header") {
      const header = value();
      const colon = header.indexOf(":");
      if (colon < 1) throw new Error(`--header takes "Name: value", got ${header}`);
      options.headers[header.slice(0, colon).trim().toLowerCase()] = header.slice(colon + 1).trim();
    } else if (arg === "--strict-csp") {
      const connect = [];
      while (i + 1 < argv.length && !argv[i + 1].startsWith("--")) connect.push(argv[++i]);
      options.headers["content-security-policy"] = strictCsp(connect);
    } else if (arg === "--log") options.log = true;
    else if (arg === "--help" || arg === "-h") {
      console.log(
        "usage: static-server.mjs --root DIR [--mount /prefix=DIR] [--host 127.0.0.1] [--port N]\n" +
          '                         [--header "Name: value"] [--strict-csp [ORIGIN…]] [--log]',
      );
      process.exit(0);
    } else throw new Error(`unknown option ${arg}`);
  }
  if (options.roots.length === 0 && Object.keys(options.mounts).length === 0) {
    throw new Error("nothing to serve: give at least one --root or --mount");
  }
  return options;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  try {
    const served = await startStaticServer(parseArgs(process.argv.slice(2)));
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
