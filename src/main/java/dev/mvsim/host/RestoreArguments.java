package dev.mvsim.host;

import dev.mvsim.kernel.AppBuffer;
import dev.mvsim.kernel.RestoredObjects;
import dev.mvsim.wire.Field;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the arguments of a BRIDGE_RESTORE, whose codec already checked them against the schema
 * {@code [LLII][LLI][LLILLILI]}: centres, network requests and channels.
 */
final class RestoreArguments {

    private RestoreArguments() {
    }

    static RestoredObjects objects(List<Field> arguments) {
        List<RestoredObjects.Centre> centres = new ArrayList<>();
        for (List<Field> element : ((Field.FieldList) arguments.get(0)).elements()) {
            centres.add(new RestoredObjects.Centre(u64(element, 0), new AppBuffer(u64(element, 1), u32(element, 2)),
                    u32(element, 3)));
        }
        List<RestoredObjects.NetworkRequest> requests = new ArrayList<>();
        for (List<Field> element : ((Field.FieldList) arguments.get(1)).elements()) {
            requests.add(new RestoredObjects.NetworkRequest(u64(element, 0), u64(element, 1), u32(element, 2)));
        }
        List<RestoredObjects.Channel> channels = new ArrayList<>();
        for (List<Field> element : ((Field.FieldList) arguments.get(2)).elements()) {
            channels.add(new RestoredObjects.Channel(u64(element, 0), u64(element, 1), u32(element, 2),
                    u64(element, 3), new AppBuffer(u64(element, 4), u32(element, 5)),
                    new AppBuffer(u64(element, 6), u32(element, 7))));
        }
        return new RestoredObjects(centres, requests, channels);
    }

    private static long u64(List<Field> element, int index) {
        return ((Field.U64) element.get(index)).value();
    }

    private static int u32(List<Field> element, int index) {
        return ((Field.U32) element.get(index)).value();
    }
}
