package dev.edgeinfer.openvino;

import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import dev.edgeinfer.openvino.Handles.ConstPortHandle;
import java.util.ArrayList;
import java.util.List;

/** Reads a const port into a {@link PortDescription} and frees it. */
final class Ports {
    private Ports() {
    }

    /** Takes ownership of the port written into {@code out} and frees it before returning. */
    static PortDescription describe(PointerByReference out) throws OpenVinoException {
        OpenVinoC c = OpenVinoLibrary.c();
        ConstPortHandle port = new ConstPortHandle(out.getValue());
        try {
            PointerByReference name = new PointerByReference();
            OpenVinoLibrary.check(c.ov_port_get_any_name(port, name), "ov_port_get_any_name");
            IntByReference type = new IntByReference();
            OpenVinoLibrary.check(c.ov_port_get_element_type(port, type), "ov_port_get_element_type");
            Structs.PartialShape shape = new Structs.PartialShape();
            OpenVinoLibrary.check(c.ov_port_get_partial_shape(port, shape), "ov_port_get_partial_shape");
            List<Long> dims;
            try {
                dims = dimensions(shape);
            } finally {
                c.ov_partial_shape_free(shape);
            }
            return new PortDescription(OpenVinoLibrary.takeString(name.getValue()), ElementType.fromCode(type.getValue()),
                    dims);
        } finally {
            c.ov_output_const_port_free(port);
        }
    }

    private static List<Long> dimensions(Structs.PartialShape shape) {
        List<Long> dims = new ArrayList<>();
        long rank = shape.rank.max;
        int dimensionSize = new Structs.Dimension().size();
        for (int i = 0; i < rank; i++) {
            Structs.Dimension d = new Structs.Dimension(shape.dims.share((long) i * dimensionSize));
            dims.add(d.min == d.max ? d.min : -1L);
        }
        return dims;
    }
}
