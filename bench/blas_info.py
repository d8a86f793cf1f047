"""Which BLAS the Python benchmark peers run on (benchmark only): limits OpenBLAS's own thread
pool to `threads` (Debian's torch calls OpenBLAS, whose pool ignores torch.set_num_threads) and
reports the library, version, kernel (core) and thread count."""
import ctypes


def limit_blas(threads):
    info = {}
    try:
        from threadpoolctl import threadpool_info, threadpool_limits
    except ImportError:
        return {"threadpoolctl": "not installed"}
    threadpool_limits(limits=threads)
    for pool in threadpool_info():
        if pool.get("user_api") == "blas":
            info.update(library=pool.get("internal_api"), version=pool.get("version"), core=pool.get("architecture"), threads=pool.get("num_threads"), path=pool.get("filepath"))
            lib = ctypes.CDLL(pool["filepath"])
            lib.openblas_get_corename.restype = ctypes.c_char_p
            info["corename"] = lib.openblas_get_corename().decode()
            info["threads"] = lib.openblas_get_num_threads()
    return info
