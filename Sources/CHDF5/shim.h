// The HDF5 C library, plus functions for what its headers only offer as macros
// (the native type ids are macros that call H5open(), which Swift cannot import).
#include <hdf5.h>

static inline hid_t dnn_h5t_native_uint8(void) { return H5T_NATIVE_UINT8; }
static inline hid_t dnn_h5t_native_int64(void) { return H5T_NATIVE_INT64; }
static inline hid_t dnn_h5t_native_double(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t dnn_h5t_c_s1(void) { return H5T_C_S1; }
static inline hid_t dnn_h5p_default(void) { return H5P_DEFAULT; }
static inline hid_t dnn_h5s_all(void) { return H5S_ALL; }
/// Selects the hyperslab `start`, `count` (block 1, stride 1) of `space` in place of its selection.
static inline herr_t dnn_h5s_select(hid_t space, const hsize_t *start, const hsize_t *count) {
    return H5Sselect_hyperslab(space, H5S_SELECT_SET, start, NULL, count, NULL);
}
static inline unsigned dnn_h5f_acc_rdonly(void) { return H5F_ACC_RDONLY; }
/// Whether `path` is an HDF5 file (H5Fis_accessible from 1.12, H5Fis_hdf5 before).
static inline htri_t dnn_h5_is_hdf5(const char *path) {
#if H5_VERSION_GE(1, 12, 0)
    return H5Fis_accessible(path, H5P_DEFAULT);
#else
    return H5Fis_hdf5(path);
#endif
}
/// Silences the library's own error printing: errors reach the user through our messages.
static inline void dnn_h5_silence_errors(void) { H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }
