/**
 * A reader that goes away (`shipper releases | head -1`) closes the pipe, and the next write
 * fails with EPIPE, which Node raises as an 'error' event: unhandled, it kills the process with a
 * stack trace. A closed pipe only means nobody reads any more, so writes to it are dropped and
 * the command goes on quietly.
 *
 * For `deploy` (and rollback, watch) that is deliberate: someone who pipes a deploy into `head`
 * wants the first lines, not a cancelled or half-followed update. The deploy carries on to its
 * outcome exactly as if output went to /dev/null: the update is never cancelled because a reader
 * left, the release's outcome is recorded, the exit code is the deploy's own (visible with
 * `set -o pipefail`), and a failure still reaches stderr if that is open. Ctrl-C works as always.
 */
export function dropWritesWhenClosed(stream: NodeJS.WritableStream): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    // Anything else is not a departed reader: fail as Node would have.
    if (err.code !== 'EPIPE') throw err;
  });
}
