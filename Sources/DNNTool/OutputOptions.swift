import ArgumentParser

/// The files `train` writes, all together once training has ended (nothing when it fails): the
/// model, the cost of every pass, the cost curve, the decision boundary and the HTML report.
struct OutputOptions: ParsableArguments {
    @Option(help: "Write the trained model to this file (JSON).")
    var output: String?

    @Option(help: "Write the cost of every pass to this file: CSV (.csv) or JSON lines (.jsonl).")
    var log: String?

    @Option(help: "Draw the cost curve into this SVG file.")
    var plot: String?

    @Option(help: "For two-feature data, draw the decision boundary over the training data into this SVG file.")
    var boundaryPlot: String?

    @Option(help: "Write a self-contained HTML training report to this file.")
    var report: String?

    func validate() throws {
        if let log, !(log.hasSuffix(".csv") || log.hasSuffix(".jsonl")) {
            throw ValidationError("--log \(log): the name must end in .csv or .jsonl")
        }
    }

    /// Every output named, in the order above.
    var paths: [String] { [output, log, plot, boundaryPlot, report].compactMap { $0 } }
}
