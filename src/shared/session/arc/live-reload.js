// Live reload that waits for the build (Sandbox only; docs/development.md, "Live reload").
//
// The Sandbox's file watcher tells the open pages to reload as soon as a file changes, and only then
// runs the watcher plugins that rebuild the functions: a page reloaded that early gets the old bundle,
// or none at all (the Sandbox's 502 "Lambda handler not found"). The Sandbox has no hook between the
// two, so this holds its reload message back while a build is running and sends it once the build is
// written. Its WebSocket server is the `livereload` of the Sandbox's internal-services module, looked
// up in the running Sandbox; without it (live reload off, or another Sandbox layout) nothing changes.
const path = require('node:path')
const { setImmediate } = require('node:timers')

const SANDBOX_SERVICES = '@architect/sandbox/src/arc/index.js'
/** The socket's own send, kept when the Sandbox's use of it is intercepted. */
const ORIGINAL_SEND = Symbol('send')

/**
 * The parts of the Sandbox's live-reload server (a `ws` WebSocket server) and its sockets used here.
 * @typedef {(data: unknown, ...rest: unknown[]) => unknown} Send
 * @typedef {{ readyState: number, send: Send, [ORIGINAL_SEND]?: Send }} Socket
 * @typedef {{ clients: Set<Socket>, on: (event: 'connection', listener: (socket: Socket) => void) => unknown }} LiveReloadServer
 */

/**
 * A gate over the Sandbox's live-reload messages: `building()` before a build starts, the function
 * it returns once the build is written; a reload the Sandbox asked for in between is sent then, once.
 */
function liveReloadGate() {
  /** @type {LiveReloadServer | undefined} */
  let server
  let running = 0
  let pending = false

  function sendReload() {
    pending = false
    if (!server) return
    for (const socket of server.clients) if (socket.readyState === 1) /** @type {Send} */ (socket[ORIGINAL_SEND])('reload')
  }

  // The watcher asks for its reload and then starts the plugins in the same turn of the event loop:
  // by the next turn a build, if one follows, is running.
  function requested() {
    pending = true
    setImmediate(() => {
      if (pending && running === 0) sendReload()
    })
  }

  /** @param {Socket} socket */
  function intercept(socket) {
    if (socket[ORIGINAL_SEND]) return
    socket[ORIGINAL_SEND] = socket.send.bind(socket)
    socket.send = (data, ...rest) => (data === 'reload' ? requested() : /** @type {Send} */ (socket[ORIGINAL_SEND])(data, ...rest))
  }

  return {
    /**
     * Takes over the running Sandbox's live-reload server (once per Sandbox start; a restart makes a new one).
     * @param {string} cwd
     */
    attach(cwd) {
      server = findServer(cwd)
      if (!server) return false
      for (const socket of server.clients) intercept(socket)
      server.on('connection', intercept)
      return true
    },
    building() {
      running++
      return function built() {
        running--
        if (running === 0 && pending) sendReload()
      }
    },
  }
}

/**
 * @param {string} cwd
 * @returns {LiveReloadServer | undefined}
 */
function findServer(cwd) {
  try {
    const services = require(require.resolve(SANDBOX_SERVICES, { paths: [path.resolve(cwd)] }))
    const server = services.livereload
    return server && server.clients instanceof Set && typeof server.on === 'function' ? server : undefined
  } catch {
    return undefined
  }
}

module.exports = { liveReloadGate }
