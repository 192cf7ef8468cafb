"""Writes the small HDF5 files HdfReaderTests reads (run with /usr/bin/python3; h5py 3.7, HDF5 1.10.8).
The expected values are literal in the C# tests; regenerate only together with them."""
import h5py, numpy as np

def attributes(f):
    f.attrs['fixed'] = np.bytes_(b'hello')                                  # fixed-length, null-padded
    f.attrs['fixed_list'] = np.array([b'dense', b'dense_1', b'x'])          # fixed-length array ('S7')
    f.attrs.create('vlen', 'w\u00e9ights', dtype=h5py.string_dtype('utf-8'))  # variable-length UTF-8 scalar
    f.attrs.create('vlen_list', ['a', 'bc', ''], dtype=h5py.string_dtype('ascii'))
    f.attrs['count'] = np.int64(-42)
    f.attrs['doubles'] = np.array([1.5, -2.25])
    f.attrs['empty'] = np.array([])                                         # float64, shape (0,)
    f.attrs['ignored_int32'] = np.int32(7)                                  # kinds Dendrite skips

def basic(f):
    attributes(f)
    g = f.create_group('layers')
    d = g.create_group('dense').create_group('vars')
    d.create_dataset('0', data=np.arange(6, dtype='<f4').reshape(2, 3) / 4)
    d.create_dataset('1', data=np.array([1e-3, -2.5], dtype='<f8'))
    d.create_dataset('be', data=np.array([1.25, -3.5, 1e30], dtype='>f4'))
    d.create_dataset('be8', data=np.array([0.1, -7.0], dtype='>f8'))
    d.create_dataset('half', data=np.array([0.5, -1.5, 65504], dtype='<f2'))
    d.create_dataset('scalar', data=np.int64(123456789012))
    for t in ['i1', 'u1', 'i2', 'u2', 'i4', 'u4', 'i8', '>i4']:
        d.create_dataset('int_' + t.replace('>', 'be'), data=np.array([-3, 0, 100], dtype=np.int64).astype(t))
    dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
    dcpl.set_layout(h5py.h5d.COMPACT)
    d.create_dataset('compact', data=np.array([1, 2, 3], dtype='<f4'), dcpl=dcpl)

def chunked(f):
    c = f.create_group('chunked')
    a = (np.arange(7 * 5, dtype='<f4').reshape(7, 5) - 10) / 8
    c.create_dataset('plain', data=a, chunks=(3, 2))                        # edge chunks
    c.create_dataset('deflate', data=a, chunks=(4, 4), compression='gzip', compression_opts=6)
    c.create_dataset('shuffle', data=a, chunks=(2, 5), shuffle=True, compression='gzip')
    c.create_dataset('fletcher', data=a, chunks=(7, 5), fletcher32=True)
    c.create_dataset('resizable', data=np.arange(10, dtype='<i8'), chunks=(4,), maxshape=(None,))
    c.create_dataset('unwritten', shape=(3,), dtype='<f4', chunks=(2,))     # no chunk written: zeros

for name, libver in [('v0', 'earliest'), ('v2', ('v108', 'v108')), ('v3', 'latest')]:
    # v0: h5py's default (superblock 0, object header v1, symbol tables); v2: superblock 2, object header v2, link
    # messages; v3: superblock 3 and data layout v4.
    with h5py.File(f'{name}-basic.h5', 'w', libver=libver) as f:
        basic(f)
    with h5py.File(f'{name}-chunked.h5', 'w', libver=libver) as f:
        chunked(f)
with h5py.File('dense.h5', 'w', libver='latest') as f:                      # 50 links (a two-level name index), 20 attributes: dense storage
    g = f.create_group('many', track_order=True)
    for i in range(50):
        g.create_group(f'g{i:03}')
    for i in range(20):
        g.attrs[f'a{i:02}'] = np.bytes_(f'value {i}'.encode())
    h = f.create_group('bynames')                                           # dense, without creation order
    for i in range(20):
        h.create_group(f"h{19 - i:02}")
with h5py.File('zeros.h5', 'w') as f:                                       # 4 MB of float32 from a few KB: decompression budget
    z = np.zeros((1000, 1000), dtype='<f4')
    z[999, 999] = 2.5
    f.create_dataset('z', data=z, chunks=(500, 500), compression='gzip', compression_opts=9)
