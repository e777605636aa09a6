using System.Globalization;
using static ModelGoPack.Inspection.Pickle.TorchStorage;

namespace ModelGoPack.Inspection.Pickle;

/// <summary>
/// What torch adds to the pickle: persistent ids that name storages, <c>torch._utils</c> rebuilds that make tensors
/// of them, and dict keys that name the tensors, which list the file's weight matrices.
/// </summary>
internal sealed partial class PickleMachine
{
    private const int MaxStorages = 1_000_000;

    /// <summary>The most named tensors a pickle may list (dict keys naming a tensor); more is refused, like more storages.</summary>
    private const int MaxNamedTensors = 1_000_000;

    private readonly Dictionary<string, StorageInfo> storages = new(StringComparer.Ordinal);
    private readonly HashSet<string> named = new(StringComparer.Ordinal);
    private readonly MatrixCollector matrices = new();
    private readonly List<string> tensorClasses = [];
    private readonly Dictionary<string, int> tensorClassIndexes = new(StringComparer.Ordinal);
    private readonly List<long> dims = [];

    /// <summary>The weight facts of what was scanned: the storages' dtypes and elements, and the named tensors' matrices.</summary>
    public WeightFacts Facts(SortedDictionary<string, string> metadata, bool carriesArchitecture)
    {
        var dtypes = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var storage in this.storages.Values)
        {
            var sum = dtypes.GetValueOrDefault(storage.Class);
            dtypes[storage.Class] = sum > long.MaxValue - storage.Elements ? long.MaxValue : sum + storage.Elements;
        }

        return new WeightFacts
        {
            Format = "pytorch",
            TensorCount = this.storages.Count,
            Dtypes = dtypes,
            Precision = Precision.FromElements(dtypes, IsFullPrecision),
            Matrices = this.matrices.Build(),
            Metadata = metadata,
            ExecutesCodeOnLoad = true,
            CarriesArchitecture = carriesArchitecture,
        };
    }

    // Registers ('storage', class, key, location, numel[, view_metadata]) and stands for the storage.
    private Value PersistentId(Value pid)
    {
        if (pid.Items is not { Length: >= 5 } items || items[0].Text != "storage")
        {
            return Value.Opaque;
        }

        var key = items[2].Kind == Kind.Int ? items[2].Number.ToString(CultureInfo.InvariantCulture) : items[2].Text;
        if (key is null)
        {
            throw this.Error($"names a storage whose key is {items[2].Describe()}, not a string");
        }

        if (!this.storages.ContainsKey(key))
        {
            if (this.storages.Count >= MaxStorages)
            {
                throw this.Error($"names more than {MaxStorages:N0} storages");
            }

            var (storageClass, untyped) = StorageClass(items[1]);
            long elements = 1;
            if (items[4].Kind == Kind.Int)
            {
                elements = items[4].Number;
                if (elements < 0)
                {
                    throw this.Error($"gives storage '{Truncate(key, 64)}' {elements} elements");
                }
            }

            this.storages[key] = new StorageInfo(storageClass, elements, untyped);
        }

        return new Value(Kind.Storage, 0, key);
    }

    // torch._utils rebuilds a tensor from (storage, offset, size, stride, ...): _rebuild_tensor_v2, _rebuild_tensor
    // (legacy), _rebuild_qtensor, and _rebuild_tensor_v3, whose dtype (its seventh argument) types an
    // UntypedStorage. _rebuild_parameter(tensor, requires_grad, hooks) wraps one. Anything else is opaque.
    private Value Rebuild(Value callable, Value args)
    {
        if (callable.Ref is not GlobalName { Module: "torch._utils" } function || args.Items is not { } items)
        {
            return Value.Opaque;
        }

        switch (function.Name)
        {
            case "_rebuild_parameter" or "_rebuild_parameter_with_state" when items.Length >= 1 && items[0].Kind == Kind.Tensor:
                return items[0];
            case "_rebuild_tensor_v3" when items.Length >= 7:
                this.TypeUntypedStorage(items[0], items[6]);
                return this.Tensor(items[0], items[2]);
            case "_rebuild_tensor_v2" or "_rebuild_tensor" or "_rebuild_qtensor" when items.Length >= 4:
                return this.Tensor(items[0], items[2]);
            default:
                return Value.Opaque;
        }
    }

    // A tensor of a storage of a torch storage class and a size tuple of ints; a storage of no known type (an
    // UntypedStorage no dtype typed, a class from another module) or any other size (opaque, a float, a long
    // int) leaves it out of the matrices. The shadow shares the size tuple's items: a tensor allocates nothing.
    private Value Tensor(Value storage, Value size)
    {
        if (storage.Kind != Kind.Storage || !this.storages.TryGetValue((string)storage.Ref!, out var info)
            || info.Untyped || info.Class == "unknown" || info.Class.Contains('.', StringComparison.Ordinal)
            || size.Items is not { } items)
        {
            return Value.Opaque;
        }

        var negative = false;
        foreach (var item in items)
        {
            if (item.Kind != Kind.Int)
            {
                return Value.Opaque;
            }

            negative |= item.Number < 0;
        }

        if (negative)
        {
            throw this.Error($"rebuilds a tensor of size ({string.Join(", ", items.Select(d => d.Number))}): a size cannot be negative");
        }

        // One entry per storage class (a few dozen in a real file; at most one per storage in a hostile one).
        if (!this.tensorClassIndexes.TryGetValue(info.Class, out var index))
        {
            index = this.tensorClasses.Count;
            this.tensorClasses.Add(info.Class);
            this.tensorClassIndexes[info.Class] = index;
        }

        return new Value(Kind.Tensor, index, items);
    }

    private void TypeUntypedStorage(Value storageValue, Value dtypeValue)
    {
        if (storageValue.Kind != Kind.Storage || dtypeValue.Ref is not GlobalName dtype || !IsTorch(dtype.Module)
            || !this.storages.TryGetValue((string)storageValue.Ref!, out var storage) || !storage.Untyped)
        {
            return;
        }

        var storageClass = DtypeClasses.GetValueOrDefault(dtype.Name) ?? ClassFromDtype(dtype.Name);
        storage.Class = storageClass;
        storage.Untyped = false;
        if (ClassItemSizes.TryGetValue(storageClass, out var size) && storage.Elements > 1)
        {
            storage.Elements /= size;
        }
    }

    // SETITEMS and DICT: the key and value pairs above the last MARK.
    private void NameTensors()
    {
        if (this.marks.Count == 0)
        {
            return;
        }

        for (var i = this.Fence(); i + 1 < this.stack.Count; i += 2)
        {
            this.NameTensor(this.stack[i], this.stack[i + 1]);
        }
    }

    // A tensor set in a dict under a string key is listed by that name, once: a name met again (the same
    // state dict nested twice, as model and EMA) keeps its first tensor. Nested dicts' keys are kept as they are.
    private void NameTensor(Value key, Value value)
    {
        if (value.Kind != Kind.Tensor || key.Text is not { } name || this.named.Contains(name))
        {
            return;
        }

        if (this.named.Count >= MaxNamedTensors)
        {
            throw this.Error($"names more than {MaxNamedTensors:N0} tensors");
        }

        this.named.Add(name);
        var storageClass = this.tensorClasses[(int)value.Number];
        this.dims.Clear();
        long elements = 1;
        foreach (var item in value.Size!)
        {
            var dim = item.Number;
            this.dims.Add(dim);
            elements = dim == 0 ? 0 : elements > long.MaxValue / dim ? long.MaxValue : elements * dim;
        }

        this.matrices.Add(name, this.dims, elements, IsFullPrecision(storageClass), quantizedType: storageClass.StartsWith("Float8", StringComparison.Ordinal) || storageClass.StartsWith("Float4", StringComparison.Ordinal), boolean: storageClass == "BoolStorage", IntegerBits(storageClass));
    }
}
