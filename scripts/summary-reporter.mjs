// A node:test reporter that ends the output with "N passed, N failed" (counting test files'
// top-level tests and their subtests the same way node's own summary does).
export default async function* summaryReporter(source) {
  let passed = 0;
  let failed = 0;
  for await (const event of source) {
    if (
      event.type === 'test:pass' &&
      event.data.details?.type !== 'suite' &&
      !event.data.skip &&
      !event.data.todo
    )
      passed++;
    if (event.type === 'test:fail' && event.data.details?.type !== 'suite') failed++;
  }
  yield `\n${passed} passed, ${failed} failed\n`;
}
