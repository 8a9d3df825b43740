// multiple-cucumber-html-reporter over a folder of Cucumber JSON files: node cucumber_json_html.cjs JSON_DIR OUT_DIR
// Used by the tests to read the harness's cucumber.json with a kept Cucumber JSON consumer.
const report = require('multiple-cucumber-html-reporter')

const [jsonDir, reportPath] = process.argv.slice(2)
report.generate({ jsonDir, reportPath, reportName: 'harness', displayDuration: true, saveCollectedJSON: true })
