// Renders LaTeX with KaTeX (throwOnError: true) for tests/test_latex.py: reads a JSON array of
// [latex, display] from stdin, writes a JSON array of {mathml} or {error}, in the same order.
import katex from "katex";

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const out = JSON.parse(input).map(([latex, display]) => {
    try {
      return { mathml: katex.renderToString(latex, { displayMode: display, throwOnError: true, strict: "error",
                                                      output: "mathml" }) };
    } catch (error) {
      return { error: String(error.message || error) };
    }
  });
  process.stdout.write(JSON.stringify(out));
});
