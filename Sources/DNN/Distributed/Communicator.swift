import Foundation

#if canImport(CMPI)
    import CMPI
#endif

/// The processes of one training job started by `mpirun`, and the few collective operations
/// data-parallel training needs: a sum over every process (allreduce), a broadcast from one
/// process, and a barrier. Rank r of N holds examples r·M/N ..< (r+1)·M/N of the M training
/// examples (`shard(of:)`).
///
/// MPI is started once per process (`world()`) and finished by `finish()`. Started without
/// `mpirun`, the job is this process alone: one rank. Setting up returns errors as one-line
/// errors; inside training MPI's default handler applies, under which a failing collective
/// ends the whole job.
///
/// Built without Open MPI (see Package.swift), `world()` throws, saying so.
public final class Communicator: @unchecked Sendable {
    /// This process's place in the job, 0 ..< size.
    public let rank: Int
    /// The processes in the job.
    public let size: Int

    /// Whether this build can run distributed (it was built with Open MPI).
    public static var isAvailable: Bool {
        #if canImport(CMPI)
            return true
        #else
            return false
        #endif
    }

    private init(rank: Int, size: Int) {
        self.rank = rank
        self.size = size
    }

    /// The examples rank `rank` holds of `count`: a contiguous range, the ranks' sizes differing by
    /// at most one.
    public func shard(of count: Int) -> Range<Int> {
        nearEqualPart(rank, of: size, count: count)
    }

    #if canImport(CMPI)
        nonisolated(unsafe) private static var started: Communicator?

        /// Starts MPI (once) and returns the job's processes. Only the calling thread talks to MPI
        /// (`MPI_THREAD_FUNNELED`): the engine's other threads never do.
        public static func world() throws -> Communicator {
            if let started { return started }
            var provided: Int32 = 0
            try check(MPI_Init_thread(nil, nil, Int32(MPI_THREAD_FUNNELED), &provided), "MPI_Init_thread")
            try check(MPI_Comm_set_errhandler(dnn_mpi_comm_world(), dnn_mpi_errors_return()), "MPI_Comm_set_errhandler")
            var rank: Int32 = 0
            var size: Int32 = 0
            try check(MPI_Comm_rank(dnn_mpi_comm_world(), &rank), "MPI_Comm_rank")
            try check(MPI_Comm_size(dnn_mpi_comm_world(), &size), "MPI_Comm_size")
            let world = Communicator(rank: Int(rank), size: Int(size))
            started = world
            return world
        }

        /// Replaces each of the `count` values at `values` with its sum over every process.
        public func sum<T: BinaryFloatingPoint>(_ values: UnsafeMutablePointer<T>, count: Int) throws {
            precondition(T.self == Double.self || T.self == Float.self, "sum: Float or Double")
            let type = T.self == Double.self ? dnn_mpi_double() : dnn_mpi_float()
            try Self.check(
                MPI_Allreduce(dnn_mpi_in_place(), values, Int32(count), type, dnn_mpi_sum(), dnn_mpi_comm_world()),
                "MPI_Allreduce of \(count) values")
        }

        /// Replaces each of the `count` doubles at `values` with its largest value over every process.
        public func maximum(_ values: UnsafeMutablePointer<Double>, count: Int) throws {
            try Self.check(
                MPI_Allreduce(
                    dnn_mpi_in_place(), values, Int32(count), dnn_mpi_double(), dnn_mpi_max(), dnn_mpi_comm_world()),
                "MPI_Allreduce (maximum) of \(count) values")
        }

        /// Copies rank `root`'s `count` values at `values` to every other process.
        public func broadcast<T: BinaryFloatingPoint>(_ values: UnsafeMutablePointer<T>, count: Int, from root: Int = 0)
            throws
        {
            precondition(T.self == Double.self || T.self == Float.self, "broadcast: Float or Double")
            let type = T.self == Double.self ? dnn_mpi_double() : dnn_mpi_float()
            try Self.check(
                MPI_Bcast(values, Int32(count), type, Int32(root), dnn_mpi_comm_world()), "MPI_Bcast of \(count) values"
            )
        }

        /// Waits until every process has arrived here.
        public func barrier() throws {
            try Self.check(MPI_Barrier(dnn_mpi_comm_world()), "MPI_Barrier")
        }

        /// Finishes MPI; the communicator is not used afterwards.
        public func finish() {
            MPI_Finalize()
            Self.started = nil
        }

        /// Ends every process of the job with `status` (after an error on this one).
        public func abort(status: Int32) -> Never {
            MPI_Abort(dnn_mpi_comm_world(), status)
            exit(status)
        }

        private static func check(_ code: Int32, _ call: String) throws {
            guard code != MPI_SUCCESS else { return }
            var text = [CChar](repeating: 0, count: Int(MPI_MAX_ERROR_STRING) + 1)
            var length: Int32 = 0
            MPI_Error_string(code, &text, &length)
            let message = String(decoding: text.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw DNNError("\(call) failed: \(message)")
        }
    #else
        public static func world() throws -> Communicator {
            throw DNNError(
                "--distributed: this dnn was built without Open MPI (install libopenmpi-dev, touch Package.swift, rebuild)"
            )
        }
        public func sum<T: BinaryFloatingPoint>(_ values: UnsafeMutablePointer<T>, count: Int) throws {}
        public func maximum(_ values: UnsafeMutablePointer<Double>, count: Int) throws {}
        public func broadcast<T: BinaryFloatingPoint>(_ values: UnsafeMutablePointer<T>, count: Int, from root: Int = 0)
            throws
        {}
        public func barrier() throws {}
        public func finish() {}
        public func abort(status: Int32) -> Never { exit(status) }
    #endif
}
