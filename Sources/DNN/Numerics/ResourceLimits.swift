import Foundation

/// The limits sizes from files and flags are checked against before anything is allocated, with
/// overflow-checked arithmetic: a size that would need more than `memoryBudget` bytes is refused
/// with one line naming the value, the bytes and the limit.
public enum ResourceLimits {
    /// Bytes a command may plan to allocate: half of the physical memory, or half of the address
    /// space left when the process runs under a limit on it (`ulimit -v`, `prlimit --as`), or the
    /// whole number of bytes in the environment variable `DNN_MEMORY_LIMIT` when it holds one (a
    /// container's share, or the fuzz targets', whose sanitiser counts larger allocations as faults).
    public static var memoryBudget: Int { budget.bytes }

    /// The budget and where it comes from, as an error message names it.
    private static var budget: (bytes: Int, source: String) {
        if let text = ProcessInfo.processInfo.environment["DNN_MEMORY_LIMIT"], let bytes = Int(text), bytes > 0 {
            return (bytes, "DNN_MEMORY_LIMIT")
        }
        let physical = Int(ProcessInfo.processInfo.physicalMemory / 2)
        if let left = addressSpaceLeft, left / 2 < physical {
            return (left / 2, "half of the address space this process may still map")
        }
        return (physical, "half of this machine's memory")
    }

    /// Under a limit on the address space: the limit less what the process has mapped already.
    private static var addressSpaceLeft: Int? {
        var limit = rlimit()
        guard getrlimit(addressSpaceResource, &limit) == 0, limit.rlim_cur != rlim_t.max else { return nil }
        // VmSize, in kB, from the process's status (Linux; elsewhere the whole limit counts as left).
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmSize:") }),
            let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "")
        else { return Int(clamping: limit.rlim_cur) }
        return max(0, Int(clamping: limit.rlim_cur) - kilobytes * 1024)
    }

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

    /// Throws unless `bytes` (nil: beyond counting) fits the memory budget (or `limit`, with where
    /// it comes from); `what` names the value.
    public static func require(_ bytes: Int?, for what: String, limit: (bytes: Int, source: String)? = nil) throws {
        let (budget, source) = limit ?? Self.budget
        guard let bytes, bytes <= budget else {
            let needed = bytes.map { "\(describe(bytes: $0))" } ?? "more bytes than can be counted"
            throw DNNError("\(what) would need \(needed); the limit is \(describe(bytes: budget)) (\(source))")
        }
    }

    /// "12.6 GB", or "160 MB" below a gigabyte (where a tenth of a GB says too little).
    static func describe(bytes: Int) -> String {
        bytes >= 1_000_000_000
            ? String(format: "%.1f GB", Double(bytes) / 1e9) : String(format: "%.0f MB", Double(bytes) / 1e6)
    }

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
