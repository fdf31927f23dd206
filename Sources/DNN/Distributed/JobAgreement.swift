import Foundation

/// An error every process of a distributed job raises alike, from the same collective result, so
/// that one line from rank 0 says it all (the command line prints it on rank 0 only).
public struct JobError: Error, CustomStringConvertible {
    /// The line rank 0 prints.
    public let message: String
    /// The message, as it is.
    public var description: String { message }

    /// An error that tells `message`.
    public init(message: String) { self.message = message }
}

/// The facts every process of a distributed job must agree on before the first collective step:
/// the command it runs and the data it read. A process that differs (another iteration count, a
/// different data file on one machine) would otherwise wait forever in an allreduce the others
/// never reach, or end while they wait.
public struct JobAgreement {
    /// What must agree, by name: each a value every process computes for itself.
    public var facts: [(name: String, value: Double)] = []

    /// An agreement with no facts yet; `add` them.
    public init() {}

    /// Adds a fact; a string is reduced to a 64-bit FNV-1a hash, carried exactly as two 32-bit halves.
    public mutating func add(_ name: String, _ text: String) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        facts.append((name, Double(hash >> 32)))
        facts.append((name, Double(hash & 0xffff_ffff)))
    }

    /// Adds a number (exact below 2⁵³, as every count here is).
    public mutating func add(_ name: String, _ value: Int) { facts.append((name, Double(value))) }

    /// Compares every fact over the job's processes (one allreduce of the largest value and of
    /// the largest negated value) and throws `JobError` on every process, naming the first fact
    /// they disagree on, when they do.
    public func require(over communicator: Communicator) throws {
        var values = facts.map(\.value) + facts.map { -$0.value }
        try communicator.maximum(&values, count: values.count)
        let n = facts.count
        if let k = (0..<n).first(where: { values[$0] != -values[n + $0] }) {
            throw JobError(
                message: "the \(communicator.size) processes of the MPI job disagree on \(facts[k].name); "
                    + "every process must run the same command on the same data")
        }
    }
}
