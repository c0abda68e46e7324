/** What service discovery reads: SSM parameters, from real SSM or the Sandbox's look-alike. */
export interface Parameter {
  readonly name: string
  readonly value: string
}

/** Reads every parameter under an SSM path. */
export type ParameterReader = (path: string) => Promise<readonly Parameter[]>
