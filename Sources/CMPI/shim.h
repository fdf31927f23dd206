// Open MPI's C interface. MPI's handles (the world communicator, data types, operations, the error
// handler, MPI_IN_PLACE) are macros over library symbols, which Swift cannot import: each is
// returned by a function here.
#include <mpi.h>

static inline MPI_Comm dnn_mpi_comm_world(void) { return MPI_COMM_WORLD; }
static inline MPI_Datatype dnn_mpi_double(void) { return MPI_DOUBLE; }
static inline MPI_Datatype dnn_mpi_float(void) { return MPI_FLOAT; }
static inline MPI_Op dnn_mpi_sum(void) { return MPI_SUM; }
static inline MPI_Op dnn_mpi_max(void) { return MPI_MAX; }
static inline MPI_Errhandler dnn_mpi_errors_return(void) { return MPI_ERRORS_RETURN; }
static inline void *dnn_mpi_in_place(void) { return MPI_IN_PLACE; }
