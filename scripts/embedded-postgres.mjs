#!/usr/bin/env node
// Serves a PGlite database over the Postgres wire protocol for `npm start`.
//
// PGlite is a single backend, so clients take turns. pglite-socket 0.2.17's own
// multiplexer interleaves clients message by message, which corrupts the extended
// query protocol (Parse/Bind/Execute of two clients get mixed), so this file runs
// its own: a client's messages up to a Sync (or a simple Query) run as one batch,
// and a client that leaves a transaction open keeps the backend until it ends it.
import net from 'node:net';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
// Frontend messages after which the client waits for an answer.
const BATCH_END = new Set(['S', 'Q', 'H', 'F', 'p', 'c', 'f']);
// Batches after which the backend is back at a statement boundary.
const RELEASE_AFTER = new Set(['S', 'Q', 'F', 'p', 'c', 'f']);
const SYNC = Buffer.from([0x53, 0, 0, 0, 4]);

/** Connection pool size the app should use against this server: the backend runs one batch at a time anyway. */
export const RECOMMENDED_POOL_MAX = 2;

/** FIFO lock over the single backend; the holder is one client connection. */
class BackendLock {
  holder = null;
  #waiters = [];

  acquire(owner) {
    if (this.holder === owner) return Promise.resolve();
    if (this.holder === null) {
      this.holder = owner;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => this.#waiters.push({ owner, resolve, reject }));
  }

  release(owner) {
    if (this.holder !== owner) return;
    const next = this.#waiters.shift();
    this.holder = next ? next.owner : null;
    next?.resolve();
  }

  forget(owner) {
    this.#waiters = this.#waiters.filter((w) => {
      if (w.owner === owner) w.reject(new Error('client disconnected'));
      return w.owner !== owner;
    });
  }
}

/** One client socket: splits the byte stream into messages and runs them in batches. */
class ClientConnection {
  #buffer = Buffer.alloc(0);
  #pending = [];
  #started = false;
  #chain = Promise.resolve();
  #idleTimer = null;
  closed = false;

  constructor(socket, backend) {
    this.socket = socket;
    this.backend = backend;
    socket.setNoDelay(true);
    socket.on('data', (chunk) => this.#onData(chunk));
    socket.on('error', () => this.close());
    socket.on('close', () => this.close());
  }

  #onData(chunk) {
    this.#buffer = this.#buffer.length ? Buffer.concat([this.#buffer, chunk]) : chunk;
    for (;;) {
      const message = this.#nextMessage();
      if (!message) break;
      this.#dispatch(message);
    }
  }

  #nextMessage() {
    const buf = this.#buffer;
    if (!this.#started) {
      if (buf.length < 8) return null;
      const length = buf.readInt32BE(0);
      if (buf.length < length) return null;
      this.#buffer = buf.subarray(length);
      return { type: 'startup', code: buf.readInt32BE(4), bytes: buf.subarray(0, length) };
    }
    if (buf.length < 5) return null;
    const length = 1 + buf.readInt32BE(1);
    if (buf.length < length) return null;
    this.#buffer = buf.subarray(length);
    return { type: String.fromCharCode(buf[0]), bytes: buf.subarray(0, length) };
  }

  #dispatch(message) {
    if (message.type === 'startup') {
      if (message.code === SSL_REQUEST || message.code === GSSENC_REQUEST) return this.socket.write('N');
      if (message.code === CANCEL_REQUEST) return this.socket.destroy(); // queries run synchronously; nothing to cancel
      this.#started = true;
      return this.#enqueue([message.bytes], true);
    }
    if (message.type === 'X') return this.socket.end();
    this.#pending.push(message.bytes);
    if (BATCH_END.has(message.type)) {
      const batch = this.#pending;
      this.#pending = [];
      this.#enqueue(batch, RELEASE_AFTER.has(message.type));
    }
  }

  #enqueue(batch, atBoundary) {
    this.#chain = this.#chain
      .then(() => this.#run(batch, atBoundary))
      .catch((err) => {
        if (!this.closed) this.backend.log(`client error: ${err.message}`);
        this.socket.destroy();
      });
  }

  async #run(batch, atBoundary) {
    if (this.closed) return;
    const { lock, db } = this.backend;
    this.#clearIdleTimer();
    await lock.acquire(this);
    if (this.closed) return; // close() cleans up and releases
    const out = [];
    await db.execProtocolRawStream(Buffer.concat(batch), { onRawData: (data) => out.push(Buffer.from(data)) });
    if (out.length && this.socket.writable) this.socket.write(Buffer.concat(out));
    if (atBoundary && !db.isInTransaction()) lock.release(this);
    else this.#armIdleTimer();
  }

  // A client that sits in an open transaction blocks every other client; cut it off after a while.
  #armIdleTimer() {
    const ms = this.backend.idleInTransactionMs;
    if (ms > 0) {
      this.#idleTimer = setTimeout(() => {
        this.backend.log(`closing a client idle in transaction for ${ms} ms`);
        this.socket.destroy();
      }, ms);
      this.#idleTimer.unref();
    }
  }

  #clearIdleTimer() {
    if (this.#idleTimer) clearTimeout(this.#idleTimer);
    this.#idleTimer = null;
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    this.#clearIdleTimer();
    this.socket.destroy();
    this.backend.connections.delete(this);
    const { lock, db } = this.backend;
    lock.forget(this);
    // Leave the backend as a fresh session would find it: end any half-sent extended query, roll back.
    this.#chain = this.#chain
      .then(async () => {
        if (lock.holder !== this) return;
        await db.execProtocolRawStream(SYNC, { onRawData: () => {} });
        if (db.isInTransaction()) await db.execProtocolRaw(simpleQuery('ROLLBACK'));
      })
      .catch((err) => this.backend.log(`cleanup after disconnect failed: ${err.message}`))
      .finally(() => lock.release(this));
  }
}

function simpleQuery(sql) {
  const text = Buffer.from(`${sql}\0`);
  const msg = Buffer.alloc(5 + text.length);
  msg.write('Q', 0);
  msg.writeInt32BE(4 + text.length, 1);
  text.copy(msg, 5);
  return msg;
}

/** Holds the data directory for one process only; PGlite has no lock of its own. */
function lockDataDir(dataDir) {
  const lockFile = `${dataDir}.lock`;
  fs.mkdirSync(path.dirname(lockFile), { recursive: true });
  try {
    fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
  } catch (err) {
    if (err.code !== 'EEXIST') throw err;
    const pid = Number(fs.readFileSync(lockFile, 'utf8'));
    if (pid && pid !== process.pid && isAlive(pid)) {
      throw new Error(`${dataDir} is in use by process ${pid}; stop it or set TRAINYARD_DATA_DIR`);
    }
    fs.writeFileSync(lockFile, String(process.pid));
  }
  return () => fs.rmSync(lockFile, { force: true });
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/**
 * Starts PGlite on `dataDir` (or in memory when dataDir is 'memory://') and listens on host:port.
 * Resolves to { port, url, stats(), close() }.
 */
export async function startEmbeddedPostgres({
  dataDir,
  port = 5433,
  host = '127.0.0.1',
  idleInTransactionMs = 60_000,
  log = () => {},
} = {}) {
  const inMemory = !dataDir || dataDir.startsWith('memory://');
  const unlock = inMemory ? () => {} : lockDataDir(dataDir);
  let db;
  try {
    if (!inMemory) fs.mkdirSync(dataDir, { recursive: true });
    db = await PGlite.create(inMemory ? 'memory://' : dataDir);
  } catch (err) {
    unlock();
    throw err;
  }
  const backend = { db, lock: new BackendLock(), connections: new Set(), idleInTransactionMs, log };
  const server = net.createServer((socket) => backend.connections.add(new ClientConnection(socket, backend)));
  try {
    await new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, resolve);
    });
  } catch (err) {
    await db.close();
    unlock();
    throw err.code === 'EADDRINUSE' ? new Error(`port ${host}:${port} is in use; set TRAINYARD_DB_PORT`) : err;
  }
  const actualPort = server.address().port;
  let closing;
  return {
    port: actualPort,
    url: `postgres://postgres:postgres@${host}:${actualPort}/postgres`,
    stats: () => ({ connections: backend.connections.size }),
    close() {
      closing ??= (async () => {
        const stopped = new Promise((resolve) => server.close(resolve));
        for (const conn of backend.connections) conn.close();
        await stopped;
        // Wait for the rollback of a client that disconnected mid-transaction.
        await backend.lock.acquire('shutdown');
        await db.close();
        unlock();
      })();
      return closing;
    },
  };
}

async function main() {
  const dataRoot = path.resolve(process.env.TRAINYARD_DATA_DIR ?? path.join(repoRoot(), '.data'));
  const dataDir = process.argv[2] ?? path.join(dataRoot, 'pglite');
  const log = (line) => console.log(line);
  const pg = await startEmbeddedPostgres({
    dataDir,
    port: Number(process.env.TRAINYARD_DB_PORT ?? 5433),
    host: process.env.TRAINYARD_DB_HOST ?? '127.0.0.1',
    idleInTransactionMs: Number(process.env.TRAINYARD_DB_IDLE_IN_TRANSACTION_MS ?? 60_000),
    log,
  });
  log(`PGlite (${dataDir}) listening at ${pg.url}`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await pg.close();
    log('stopped');
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // The parent (scripts/start.mjs) closing our stdin is as good as a signal.
  if (process.env.TRAINYARD_DB_EXIT_WITH_STDIN === '1') process.stdin.on('end', stop).resume();
}

function repoRoot() {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(`[db] ${err.message}`);
    process.exit(1);
  });
}
