// Jest global teardown: repeats, after the summary, which server-backed suites were skipped.
module.exports = async function reportSkipped() {
  const report = process.env.WORMHOLE_TEST_SKIP_REPORT;
  if (report) process.stdout.write(`\n${report}`);
};
