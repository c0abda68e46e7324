// @architect/plugin-typescript ships no types: the hooks ./typescript.js spreads and overrides.
declare module '@architect/plugin-typescript' {
  const plugin: Record<string, unknown>
  export = plugin
}
