import ArgumentParser
import DNN
import Foundation

/// Hidden layers written as a comma-separated list of sizes, each with an optional activation:
/// `20,7,5` or `20:tanh,7:relu,5:leaky-relu(0.2)`.
struct HiddenLayers: ExpressibleByArgument, CustomStringConvertible {
    let sizes: [Int]
    /// The activation written after each size, if any (checked by `layers(default:)`).
    let activationNames: [String?]

    init(sizes: [Int], activationNames: [String?]) {
        self.sizes = sizes
        self.activationNames = activationNames
    }

    init?(argument: String) {
        let fields = argument.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        var sizes = [Int](), names = [String?]()
        for field in fields {
            let parts = field.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            guard let size = Int(parts[0]), size > 0 else { return nil }
            sizes.append(size)
            names.append(parts.count == 2 ? String(parts[1]) : nil)
        }
        guard !argument.isEmpty else { return nil }
        self.sizes = sizes
        self.activationNames = names
    }

    var description: String {
        zip(sizes, activationNames).map { size, name in name.map { "\(size):\($0)" } ?? "\(size)" }
            .joined(separator: ",")
    }

    /// The layers, each with its own activation or `activation`; a name that is not an activation
    /// is a usage error naming it.
    func layers(default activation: Activation) throws -> [Layer] {
        try zip(sizes, activationNames).map { size, name in
            guard let name else { return Layer(units: size, activation: activation) }
            do {
                return Layer(units: size, activation: try Activation(parsing: name))
            } catch let error as DNNError {
                throw ValidationError("--layers \(description): \(error.message)")
            }
        }
    }
}
