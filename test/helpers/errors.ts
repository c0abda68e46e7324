/** What `fn` throws; a test fails plainly when it throws nothing, instead of skipping its checks. */
export function thrownBy(fn: () => unknown): unknown {
  try {
    fn()
  } catch (error) {
    return error
  }
  throw new Error('expected an exception, and nothing was thrown')
}

/** What `promise` rejects with; throws (failing the test) when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection, and the promise resolved')
    },
    (error: unknown) => error,
  )
}
