// How the host's parts are started and undone: each part registers its undo when it starts; stop runs them newest first.
import type { Logger } from '../util/logger.js'

type Undo = () => unknown

export class Lifecycle {
  private readonly undos: Array<{ part: string; undo: Undo }> = []
  private readonly hooks = new Set<Undo>()
  private stopped?: Promise<void>

  constructor(private readonly logger: Logger) {}

  /** Starts a part and registers how it is undone; a part that failed to start registers nothing. */
  async effect<T>(part: string, start: () => T | Promise<T>, undo: (value: T) => unknown): Promise<T> {
    const value = await start()
    this.undos.push({ part, undo: () => undo(value) })
    return value
  }

  /** Registers the undo of a part that is already running. */
  defer(part: string, undo: Undo): void {
    this.undos.push({ part, undo })
  }

  /**
   * Runs `hook` when the host begins to stop, before any part is undone (say, ending the event streams that would hold
   * the server's close). Returns its removal.
   */
  onStop(hook: Undo): () => void {
    this.hooks.add(hook)
    return () => this.hooks.delete(hook)
  }

  get isStopping(): boolean {
    return this.stopped !== undefined
  }

  /** Runs the stop hooks, then every undo newest first; one that fails is logged and the rest still run. */
  stop(): Promise<void> {
    this.stopped ??= this.run()
    return this.stopped
  }

  private async run(): Promise<void> {
    for (const hook of [...this.hooks]) await this.guard('stop hook', hook)
    while (this.undos.length) {
      const { part, undo } = this.undos.pop()!
      await this.guard(part, undo)
    }
  }

  private async guard(part: string, undo: Undo): Promise<void> {
    try {
      await undo()
    } catch (error) {
      this.logger.error({ err: error, part }, 'stopping a part failed')
    }
  }
}
