import ArgumentParser
import DNN
import Foundation

/// How training runs: precision, engine and threads, shared by `train` and `bench`.
struct EngineOptions: ParsableArguments {
    @Option(name: .customLong("precision"), help: "Arithmetic of training: float64 (reproduces the course) or float32.")
    var precisionFlag: Precision?

    /// --precision, float64 when not given.
    var precision: Precision { precisionFlag ?? .float64 }

    @Option(
        help: ArgumentHelp(
            "The algorithm for the first layer.",
            discussion:
                "direct: updates W1, multiplying by X twice per iteration. dual: keeps W1 = W1(0) + C·Xᵀ through the m×m Gram matrix XᵀX, so iterations never touch X (far faster when features outnumber examples). auto: dual when it is cheaper and fits in memory."
        ))
    var engine: EngineSelection = .auto

    @Option(help: "At most this many threads for the large products. Default: all cores.")
    var threads: Int?

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads \(threads): must be at least 1") }
    }
}
