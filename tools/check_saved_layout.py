"""Checks files written by Dendrite (Model.Save / SaveWeights) against Keras's layout, with h5py and zipfile only.
Usage: /usr/bin/python3 tools/check_saved_layout.py FILE.keras|FILE.weights.h5|FILE.h5 ...
Prints every group/dataset (shape, dtype, attributes) and the checks it made; exits 1 if one fails."""
import io, json, sys, zipfile
import h5py

failures = 0
def check(ok, what):
    global failures
    print(("  ok   " if ok else "  FAIL ") + what)
    failures += not ok

def dump(f):
    def show(name, o):
        attrs = {k: (list(v) if hasattr(v, "__len__") and not isinstance(v, (str, bytes)) else v) for k, v in o.attrs.items()
                 if k not in ("model_config", "training_config")}
        print(f"    {name} {getattr(o, 'shape', '')} {getattr(o, 'dtype', '')} {attrs if attrs else ''}")
    f.visititems(show)

def check_keras3_weights(f, model_layers):
    check("vars" in f and len(f["vars"]) == 0, "root 'vars' group exists and is empty")
    for key in model_layers:
        check(f"layers/{key}/vars" in f, f"layers/{key}/vars exists")
    if "optimizer" in f:
        v = f["optimizer/vars"]
        check(v["0"].shape == () and v["0"].dtype == "int64", "optimizer/vars/0 is the int64 scalar iterations")
        check(v["1"].shape == () and v["1"].dtype == "float32", "optimizer/vars/1 is the float32 scalar learning rate")

for path in sys.argv[1:]:
    print(path)
    if zipfile.is_zipfile(path):
        z = zipfile.ZipFile(path)
        check(z.namelist() == ["metadata.json", "config.json", "model.weights.h5"], f"zip entries in Keras's order: {z.namelist()}")
        meta = json.loads(z.read("metadata.json")); print("    metadata.json", meta)
        check(set(meta) == {"keras_version", "date_saved"}, "metadata.json has keras_version and date_saved")
        cfg = json.loads(z.read("config.json"))
        check(set(cfg) >= {"module", "class_name", "config", "registered_name"}, f"config.json top keys {sorted(cfg)}")
        layers = cfg["config"]["layers"]
        print("    layers:", [(l["class_name"], l["config"].get("name")) for l in layers])
        if cfg["class_name"] == "Functional":
            check(all("inbound_nodes" in l and "name" in l for l in layers), "every functional layer has name and inbound_nodes")
            print("    input_layers", cfg["config"]["input_layers"], "output_layers", cfg["config"]["output_layers"])
        if "compile_config" in cfg: print("    compile_config", json.dumps(cfg["compile_config"])[:300])
        f = h5py.File(io.BytesIO(z.read("model.weights.h5")), "r")
        dump(f)
        check_keras3_weights(f, [])
    else:
        f = h5py.File(path, "r")
        dump(f)
        if "model_config" in f.attrs:
            mc = json.loads(f.attrs["model_config"])
            check(mc["class_name"] in ("Sequential", "Functional"), f"model_config class {mc['class_name']}")
            names = list(f["model_weights"].attrs["layer_names"])
            check(all(n in f["model_weights"] for n in names), f"a group per layer_names entry {names}")
            for n in names:
                g = f["model_weights"][n]
                wn = list(g.attrs["weight_names"])
                check(all(w in g for w in wn), f"{n}: weight_names {wn} all present")
            if "training_config" in f.attrs:
                tc = json.loads(f.attrs["training_config"])
                check("optimizer_config" in tc and "optimizer" not in tc, "training_config has optimizer_config")
        else:
            check_keras3_weights(f, [])
sys.exit(1 if failures else 0)
