import ArgumentParser
import DNN
import Foundation

/// L2 and dropout, shared by `train` and `gradcheck`.
struct RegularizationOptions: ParsableArguments {
    @Option(help: "L2 regularisation λ: the cost gains λ/(2m)·Σ‖W‖², each dW gains (λ/m)·W (default 0).")
    var l2: Double?

    @Option(help: "Dropout on hidden layers: the probability of keeping a unit (default 1: no dropout).")
    var keepProb: Double?

    func validate() throws {
        if let l2, !(l2 >= 0 && l2.isFinite) { throw ValidationError("--l2 \(l2): must be 0 or more") }
        if let keepProb, !(keepProb > 0 && keepProb <= 1) {
            throw ValidationError("--keep-prob \(keepProb): must be in (0, 1]")
        }
    }
}
