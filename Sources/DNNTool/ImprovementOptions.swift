import ArgumentParser
import DNN
import Foundation

/// The course's next part: regularisation, mini-batches and optimisers.
struct ImprovementOptions: ParsableArguments {
    @OptionGroup var regularization: RegularizationOptions

    @Option(
        help:
            "Dropout masks: fresh (new masks every iteration) or course (reseeded with 1 every forward pass, as the notebook)."
    )
    var dropoutSeeding: DropoutSeeding?

    @Option(help: "Train on mini-batches of this many examples, reshuffled before every epoch as the course does.")
    var miniBatchSize: Int?

    @Option(help: "Epochs of mini-batch training (instead of --iterations).")
    var epochs: Int?

    @Option(
        help:
            "The optimiser: gd (gradient descent, the course preset's), momentum, adam (the tabular preset's) or rmsprop."
    )
    var optimizer: String?

    @Option(help: "Momentum's and RMSprop's β.")
    var beta = 0.9

    @Option(help: "Adam's β1.")
    var beta1 = 0.9

    @Option(help: "Adam's β2.")
    var beta2 = 0.999

    @Option(help: "Adam's and RMSprop's ε, added after the square root.")
    var epsilon = 1e-8

    @Option(
        help: ArgumentHelp(
            "Learning-rate decay after each epoch (each iteration without mini-batches).",
            discussion:
                "none; inverse-time: α = α0 / (1 + rate·epoch) (the course's update_lr); scheduled: α = α0 / (1 + rate·floor(epoch / interval)) (its schedule_lr_decay)."
        ))
    var decay: String?

    @Option(help: "The decay rate of --decay.")
    var decayRate = 1.0

    @Option(help: "Epochs between steps of --decay scheduled.")
    var decayInterval = 1000

    func validate() throws {
        if let miniBatchSize, miniBatchSize < 1 {
            throw ValidationError("--mini-batch-size \(miniBatchSize): must be at least 1")
        }
        if let epochs {
            guard epochs >= 1 else { throw ValidationError("--epochs \(epochs): must be at least 1") }
            guard epochs <= 100_000_000 else { throw ValidationError("--epochs \(epochs): at most 100000000") }
        }
        for (name, value) in [("--beta", beta), ("--beta1", beta1), ("--beta2", beta2)] {
            guard (0..<1).contains(value) else { throw ValidationError("\(name) \(value): must be in [0, 1)") }
        }
        guard epsilon > 0, epsilon.isFinite else { throw ValidationError("--epsilon \(epsilon): must be positive") }
        guard decayRate >= 0, decayRate.isFinite else {
            throw ValidationError("--decay-rate \(decayRate): must be 0 or more")
        }
        guard decayInterval >= 1 else { throw ValidationError("--decay-interval \(decayInterval): must be at least 1") }
        _ = try chosenOptimizer()
        _ = try chosenSchedule()
    }

    /// The optimiser named by --optimizer (`fallback` when not given), with the settings it takes.
    func chosenOptimizer(named fallback: String = "gd") throws -> Optimizer {
        let name = optimizer ?? fallback
        do {
            return try Optimizer(
                named: name, settings: ["beta": beta, "beta1": beta1, "beta2": beta2, "epsilon": epsilon])
        } catch let error as DNNError {
            throw ValidationError("--optimizer \(name): \(error.message)")
        }
    }

    /// The schedule named by --decay (none when not given), with its rate and interval.
    func chosenSchedule() throws -> LearningRateSchedule {
        let name = decay ?? "none"
        do {
            return try LearningRateSchedule(
                named: name, settings: ["rate": decayRate, "interval": Double(decayInterval)])
        } catch let error as DNNError {
            throw ValidationError("--decay \(name): \(error.message)")
        }
    }
}
