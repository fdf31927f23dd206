import Foundation

/// The limits sizes from files and flags are checked against before anything is allocated, with
/// overflow-checked arithmetic: a size that would need more than `memoryBudget` bytes (half of the
/// machine's memory) is refused with one line naming the value, the bytes and the limit.
public enum ResourceLimits {
    /// Bytes a command may plan to allocate: half of the physical memory.
    public static var memoryBudget: Int { Int(ProcessInfo.processInfo.physicalMemory / 2) }

    /// ∏ sizes × bytes per element, or nil when it overflows.
    public static func bytes(_ sizes: [Int], each: Int) -> Int? {
        var total = each
        for size in sizes {
            guard size >= 0 else { return nil }
            let (product, overflow) = total.multipliedReportingOverflow(by: size)
            if overflow { return nil }
            total = product
        }
        return total
    }

    /// Throws unless `bytes` (nil: beyond counting) fits the memory budget; `what` names the value.
    public static func require(_ bytes: Int?, for what: String, budget: Int = memoryBudget) throws {
        guard let bytes, bytes <= budget else {
            let needed = bytes.map { "\(gigabytes($0))" } ?? "more bytes than can be counted"
            throw DNNError(
                "\(what) would need \(needed); the limit is \(gigabytes(budget)) (half of this machine's memory)")
        }
    }

    static func gigabytes(_ bytes: Int) -> String { String(format: "%.1f GB", Double(bytes) / 1e9) }

    /// The sum of `terms`, or nil on overflow (or when a term is nil).
    static func sum(_ terms: [Int?]) -> Int? {
        var total = 0
        for term in terms {
            guard let term else { return nil }
            let (sum, overflow) = total.addingReportingOverflow(term)
            if overflow { return nil }
            total = sum
        }
        return total
    }
}
