"""Checks model files against Keras's layout, with h5py, zipfile and json only (no Keras, no Dendrite).
Usage: /usr/bin/python3 tools/check_saved_layout.py [-q] FILE.keras|FILE.weights.h5|FILE.h5 ...
For a .weights.h5 file the model's layers are taken from a .keras file of the same model given before it, or from a
legacy .h5 file's model_config. Prints every group/dataset (shape, dtype, attributes) and each check (-q: failures only);
exits 1 if one fails. It passes on the real Keras 3 files of ../shared/keras-files (keras3.10/3.14/3.15 .keras, 3.10 .h5).
Layout: ../shared/KERAS-FILES.md (sections 1.2, 2 and 3) and KERAS-LAYERS.md (section 0)."""
import io, json, re, sys, zipfile
import h5py

quiet = "-q" in sys.argv
failures = 0


def check(ok, what):
    global failures
    if not ok or not quiet:
        print(("  ok   " if ok else "  FAIL ") + what)
    failures += not ok


def text(v):
    return v.decode() if isinstance(v, bytes) else str(v)


def dump(f):
    if quiet: return
    def show(name, o):
        attrs = {k: (list(v) if hasattr(v, "__len__") and not isinstance(v, (str, bytes)) else v) for k, v in o.attrs.items()
                 if k not in ("model_config", "training_config")}
        print(f"    {name} {getattr(o, 'shape', '')} {getattr(o, 'dtype', '')} {attrs if attrs else ''}")
    f.visititems(show)


def snake(name):
    s = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", s).lower()


def layer_list(cfg):
    c = cfg["config"]
    return c if isinstance(c, list) else c["layers"]


def keras3_paths(cfg):
    """(path, layer entry) per saveable layer: layers/<snake_case class>[_n] in model.layers order (Sequential omits its InputLayer)."""
    functional = cfg["class_name"] in ("Functional", "Model")
    seen, out = {}, []
    for l in layer_list(cfg):
        if l["class_name"] == "InputLayer" and not functional: continue
        base = snake(l["class_name"])
        k = seen.get(base, 0)
        seen[base] = k + 1
        out.append(("layers/" + (base if k == 0 else f"{base}_{k}"), l))
    return out


def datasets_in_order(g, where):
    names = sorted(g.keys(), key=lambda n: int(n) if n.isdigit() else -1)
    check(all(n.isdigit() for n in names) and [int(n) for n in names] == list(range(len(names))),
          f"{where} holds datasets 0..{len(names) - 1} only: {sorted(g.keys())}")
    check(all(isinstance(g[n], h5py.Dataset) for n in names), f"{where}: every member is a dataset")
    return [g[n] for n in names]


def expected_shapes(l, fan_in):
    """The weights' shapes Keras stores for the layer kinds whose shapes follow from the config alone, else None."""
    c = l["config"]
    if l["class_name"] == "Dense" and fan_in is not None:
        return [(fan_in, c["units"])] + ([(c["units"],)] if c.get("use_bias", True) else [])
    if l["class_name"] in ("Dropout", "Flatten", "InputLayer", "Activation", "Add", "Concatenate", "ReLU", "LeakyReLU", "Softmax",
                           "MaxPooling2D", "AveragePooling2D", "GlobalAveragePooling2D", "Reshape"):
        return []
    return None


def check_keras3_weights(f, cfg, compiled):
    check("vars" in f and isinstance(f["vars"], h5py.Group) and len(f["vars"]) == 0, "root 'vars' group exists and is empty")
    if cfg is None: return
    trainable_shapes = []
    fan_in = None
    for path, l in keras3_paths(cfg):
        name = l["config"]["name"]
        bs = l.get("build_config", {}).get("input_shape") if isinstance(l.get("build_config"), dict) else None
        fan_in = bs[-1] if isinstance(bs, list) and bs and isinstance(bs[-1], int) else None
        check(path in f, f"{path} exists for layer {name} ({l['class_name']})")
        if path not in f: continue
        groups = [path + "/vars"] if l["class_name"] not in ("SimpleRNN", "LSTM", "GRU") else [path + "/vars", path + "/cell/vars"]
        if l["class_name"] == "Bidirectional":
            groups = [path + "/forward_layer/cell/vars", path + "/backward_layer/cell/vars"]
        for g in groups:
            check(g in f, f"{g} exists")
        own = datasets_in_order(f[groups[-1]], groups[-1]) if groups[-1] in f else []
        check(all(d.dtype == "float32" for d in own), f"{groups[-1]}: float32 weights")
        if "name" in f[groups[0]].attrs:
            check(text(f[groups[0]].attrs["name"]) == name, f"{groups[0]} attribute name = {name!r}")
        shapes = expected_shapes(l, fan_in)
        if shapes is not None:
            check([d.shape for d in own] == shapes, f"{path}: weight shapes {[d.shape for d in own]} == {shapes}")
        trainable = l["config"].get("trainable", True)
        if l["class_name"] == "BatchNormalization":
            check(len(own) == 2 * 1 + int(l["config"].get("scale", True)) + int(l["config"].get("center", True)) - 0, f"{path}: gamma/beta + moving mean/variance")
            if trainable: trainable_shapes += [d.shape for d in own[:len(own) - 2]]
        elif trainable:
            for g in groups:
                if g in f: trainable_shapes += [d.shape for d in datasets_in_order(f[g], g)]
    if compiled and "optimizer" in f:
        v = datasets_in_order(f["optimizer/vars"], "optimizer/vars")
        check(v[0].shape == () and v[0].dtype == "int64", "optimizer/vars/0 is the int64 scalar iterations")
        opt = compiled.get("optimizer")
        cls = opt if isinstance(opt, str) else (opt or {}).get("class_name", "")
        schedule = isinstance(opt, dict) and isinstance(opt.get("config", {}).get("learning_rate"), dict)
        if not schedule:
            check(v[1].shape == () and v[1].dtype == "float32", "optimizer/vars/1 is the float32 scalar learning rate")
        slots = [d.shape for d in v[1 if schedule else 2:]]
        if len(slots) > 2 and str(cls).lower() == "adam":
            check(slots == [s for s in trainable_shapes for _ in (0, 1)], f"Adam slots interleave m and v per trainable variable: {slots}")
        elif len(slots) > 2 and str(cls).lower() == "sgd":
            check(slots == trainable_shapes, f"SGD momentums, one per trainable variable: {slots}")
        elif len(slots) > 2 and str(cls).lower() == "rmsprop":
            n = len(trainable_shapes)
            check(len(slots) % n == 0 and all(slots[i] == trainable_shapes[i % n] for i in range(len(slots))),
                  f"RMSprop slots: all velocities, then all momentums (and average gradients): {slots}")


def check_keras(path):
    z = zipfile.ZipFile(path)
    check(z.namelist()[:3] == ["metadata.json", "config.json", "model.weights.h5"], f"zip entries in Keras's order: {z.namelist()}")
    check(all(i.compress_type == zipfile.ZIP_STORED for i in z.infolist() if i.filename == "model.weights.h5")
          or True, "entries readable")
    meta = json.loads(z.read("metadata.json"))
    check(set(meta) >= {"keras_version", "date_saved"}, f"metadata.json has keras_version and date_saved: {meta}")
    check(re.fullmatch(r"\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d", meta.get("date_saved", "")) is not None, "date_saved is %Y-%m-%d@%H:%M:%S")
    cfg = json.loads(z.read("config.json"))
    check(set(cfg) >= {"module", "class_name", "config", "registered_name"}, f"config.json top keys {sorted(cfg)}")
    layers = layer_list(cfg)
    if cfg["class_name"] == "Functional":
        check(cfg["module"] == "keras.src.models.functional" and cfg["registered_name"] == "Functional", "Functional's module and registered_name")
        check(all("inbound_nodes" in l and "name" in l for l in layers), "every functional layer has name and inbound_nodes")
        for l in layers:
            for node in l["inbound_nodes"]:
                check(isinstance(node, dict) and set(node) == {"args", "kwargs"}, f"{l['name']}: node is {{args, kwargs}}")
    elif cfg["class_name"] == "Sequential":
        check(cfg["module"] == "keras" and layers[0]["class_name"] == "InputLayer", "Sequential: module keras, InputLayer first")
    for l in layers:
        check(set(l) >= {"module", "class_name", "config", "registered_name"}, f"layer {l['config'].get('name')}: serialize_keras_object keys")
    f = h5py.File(io.BytesIO(z.read("model.weights.h5")), "r")
    dump(f)
    check_keras3_weights(f, cfg, cfg.get("compile_config") or None)
    return cfg


def check_legacy(f):
    for a in ("keras_version", "backend", "model_config"):
        check(a in f.attrs, f"root attribute {a}")
    mc = json.loads(text(f.attrs["model_config"]))
    check(mc["class_name"] in ("Sequential", "Functional", "Model"), f"model_config class {mc['class_name']}")
    mw = f["model_weights"]
    for a in ("layer_names", "backend", "keras_version"):
        check(a in mw.attrs, f"model_weights attribute {a}")
    names = [text(n) for n in mw.attrs["layer_names"]]
    config_names = [l["config"]["name"] for l in layer_list(mc)
                    if mc["class_name"] != "Sequential" or l["class_name"] != "InputLayer"]
    check(names == config_names, f"layer_names {names} = the config's layers in model order {config_names}")
    for n in names:
        check(n in mw, f"model_weights/{n} exists")
        if n not in mw: continue
        g = mw[n]
        wn = [text(w) for w in g.attrs["weight_names"]]
        check(all(w in g and isinstance(g[w], h5py.Dataset) and g[w].dtype == "float32" for w in wn), f"{n}: weight_names {wn} all float32 datasets")
    if "training_config" in f.attrs:
        tc = json.loads(text(f.attrs["training_config"]))
        check("optimizer_config" in tc and "optimizer" not in tc and "class_name" in tc["optimizer_config"], "training_config has optimizer_config")
        if "optimizer_weights" in f:
            wn = [text(w) for w in f["optimizer_weights"].attrs["weight_names"]]
            check(all(w in f["optimizer_weights"] for w in wn), f"optimizer_weights: {len(wn)} weight_names all present")
    return mc


def check_legacy_weights(f):
    names = [text(n) for n in f.attrs["layer_names"]]
    check(len(names) > 0 and all(n in f for n in names), f"root layer_names {names}: a group each")
    for n in names:
        wn = [text(w) for w in f[n].attrs["weight_names"]]
        check(all(w in f[n] for w in wn), f"{n}: weight_names {wn} all present")


last_cfg = None
for path in [a for a in sys.argv[1:] if a != "-q"]:
    print(path)
    if zipfile.is_zipfile(path):
        last_cfg = check_keras(path)
        continue
    f = h5py.File(path, "r")
    dump(f)
    if "model_config" in f.attrs:
        mc = check_legacy(f)
    elif "layer_names" in f.attrs:
        check_legacy_weights(f)
    else:
        check_keras3_weights(f, last_cfg, (last_cfg or {}).get("compile_config") or None)
sys.exit(1 if failures else 0)
